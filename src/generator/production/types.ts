/**
 * What a production asks for: the generator's own types (SPEC v2 `production`), independent of
 * HTTP. `schemas/` will validate the request body's `production` field into ProductionOptions.
 */

export const BATES_MODES = ['continuous', 'restart'] as const;
/** Across rolling sets: continue where the previous set ended, or start each set at `bates.start`. */
export type BatesMode = (typeof BATES_MODES)[number];

export const WITHHELD_NATIVE_POLICIES = ['keep-native', 'omit-native-path', 'replace-with-placeholder'] as const;
export type WithheldNativePolicy = (typeof WITHHELD_NATIVE_POLICIES)[number];

export const GAP_POLICIES = ['reject', 'allow'] as const;
export type GapPolicy = (typeof GAP_POLICIES)[number];

export const SOURCE_PATH_MODES = ['bates', 'preserve', 'originals'] as const;
/**
 * Where a source-driven production puts its natives (Zipper's --source-path-mode): Bates-named in
 * the volume, Bates-named under the source's folders in the volume, or under ORIGINALS/ at the source
 * path with the source name. Images, texts and redacted copies stay Bates-named in every mode.
 */
export type SourcePathMode = (typeof SOURCE_PATH_MODES)[number];

export const DEFAULT_VOLUME_SIZE = 5000;

export interface RollingOptions {
  /** Sets in one archive, each of the request's `count` documents [1]. */
  count: number;
  batesMode: BatesMode;
}

export interface RedactionOptions {
  withheldNativePolicy: WithheldNativePolicy;
}

/** The Bates range a prior production's `_manifest.json` declares (the only part the check reads). */
export interface PriorBatesRange {
  start: string;
  end: string;
  prefix: string;
  digits: number;
}

/** A prior `_manifest.json` as the client sent it: parsed JSON, not yet trusted. */
export type PriorManifest = unknown;

export interface SupplementalOptions {
  priorManifests: PriorManifest[];
  gapPolicy: GapPolicy;
}

export interface ProductionOptions {
  /** Parent documents per volume folder (VOL001, VOL002 …) [5000]; attachments ride with their parent. */
  volumeSize: number;
  /** First set's id; absent: PRODUCTION_001. An id ending in digits counts on from them. */
  id?: string | undefined;
  rolling?: RollingOptions | undefined;
  redacted?: RedactionOptions | undefined;
  supplemental?: SupplementalOptions | undefined;
  /** Source-driven productions only [bates]. */
  sourcePathMode?: SourcePathMode | undefined;
}
