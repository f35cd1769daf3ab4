/** The parts of UTIF.js (no published types) the tests use. */
declare module 'utif' {
  interface Ifd {
    width: number;
    height: number;
    [tag: `t${number}`]: number[] | undefined;
  }
  const UTIF: {
    decode(buffer: Buffer | ArrayBuffer | Uint8Array): Ifd[];
    decodeImage(buffer: Buffer | ArrayBuffer | Uint8Array, ifd: Ifd): void;
  };
  export default UTIF;
}
