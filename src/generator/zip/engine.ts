/** `zipper`: our ZIP module for archiver; `archiver`: archiver's stock zip module (benchmarks compare them). */
export const ZIP_ENGINES = ['zipper', 'archiver'] as const;
export type ZipEngine = (typeof ZIP_ENGINES)[number];
