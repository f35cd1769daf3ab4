/**
 * Version of the generator's output. Part of every ETag: bump it whenever the bytes an
 * unchanged request produces change, so caches never serve an archive the code would not make.
 */
export const GENERATOR_VERSION = '0.3.0';
