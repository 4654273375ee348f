/** Reads the language tables from the content folder (content/language/*.json). */
import fs from 'node:fs';
import path from 'node:path';
import { compileLanguage, type Language } from './language.js';

export const languageFiles = ['abbreviations', 'synonyms', 'stopwords', 'intents', 'clauses', 'qualifiers'] as const;
/** Tables a content folder may leave out. */
export const optionalLanguageFiles = ['referrals', 'senses'] as const;

/** Loads and compiles content/language; throws an Error naming the file that is missing or invalid. */
export function loadLanguage(contentDir: string): Language {
  const tables: Record<string, unknown> = {};
  for (const name of languageFiles) {
    const file = path.join(contentDir, 'language', `${name}.json`);
    try {
      tables[name] = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (e) {
      throw new Error(`Cannot read language table ${file}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  for (const name of optionalLanguageFiles) {
    const file = path.join(contentDir, 'language', `${name}.json`);
    if (!fs.existsSync(file)) continue;
    try {
      tables[name] = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (e) {
      throw new Error(`Cannot read language table ${file}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  try {
    return compileLanguage(tables);
  } catch (e) {
    throw new Error(`Invalid language tables in ${path.join(contentDir, 'language')}: ${e instanceof Error ? e.message : String(e)}`);
  }
}
