/** Vietnamese text handling: normalization, language tables, analysis, typo tolerance. */
export * from './normalize.js';
export * from './language.js';
export * from './analyze.js';
export * from './typo.js';
