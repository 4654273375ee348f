/**
 * A commune's effective catalog: the province's shared procedure set ⊕ the commune's overrides (where to submit,
 * processing time, fees set by HĐND tỉnh, the online link, who it is for, extra aliases and situations, procedures the
 * commune does not offer). Pure: no database, no platform.
 *
 * The search index is the expensive part (its postings, vocabulary and scratch arrays), so it is built once per
 * shared catalog and every commune without search-affecting overrides answers from that one index through a thin
 * {@link OverlayIndex} (its display overrides applied to each hit, its inactive procedures left out). Only a commune
 * whose overrides change what is searched (extra aliases or situations, another audience) gets an index of its own,
 * built over its effective procedures. Scoring itself (search.ts) is untouched either way.
 */
import type { Analysis } from '../text/analyze.js';
import type { Language } from '../text/language.js';
import type { Procedure } from './procedure.js';
import { ProcedureIndex, type SearchHit } from './search.js';

/** What one commune changes of one shared procedure; null/undefined keeps the catalog's value. */
export interface ProcedureOverrideInput {
  code: string;
  submitAt?: string | null;
  processingTime?: string | null;
  fees?: string | null;
  onlineUrl?: string | null;
  audience?: string | null;
  extraAliases?: readonly string[] | null;
  extraSituations?: readonly string[] | null;
  /** The commune does not offer this procedure. */
  inactive?: boolean;
}

/** The part of an index the conversation engine uses: a shared {@link ProcedureIndex} or a commune's overlay of it. */
export interface CatalogIndex {
  readonly procedures: readonly Procedure[];
  readonly language: Language;
  byCode(code: string): Procedure | undefined;
  qualifiersOf(code: string): ReadonlySet<string>;
  fields(): string[];
  search(text: string, limit?: number): SearchHit[];
  searchAnalysis(analysis: Analysis, limit?: number): SearchHit[];
  matchField(analysis: Analysis): string | null;
}

const present = (v: string | null | undefined): v is string => typeof v === 'string' && v.trim() !== '';

function addNew(base: readonly string[], extra: readonly string[] | null | undefined): string[] {
  const out = [...base];
  const seen = new Set(base.map((s) => s.normalize('NFC').trim().toLowerCase()));
  for (const s of extra ?? []) {
    const key = s.normalize('NFC').trim().toLowerCase();
    if (key !== '' && !seen.has(key)) {
      seen.add(key);
      out.push(s.normalize('NFC').trim());
    }
  }
  return out;
}

/** Whether an override changes what the search index holds (and so needs an index of the commune's own). */
export function changesSearch(o: ProcedureOverrideInput): boolean {
  return (o.extraAliases?.length ?? 0) > 0 || (o.extraSituations?.length ?? 0) > 0 || present(o.audience);
}

/** Whether an override changes anything at all. */
function changesAnything(o: ProcedureOverrideInput): boolean {
  return changesSearch(o) || o.inactive === true || present(o.submitAt) || present(o.processingTime) || present(o.fees) || present(o.onlineUrl);
}

/** One procedure as the commune sees it (the same object when the override changes nothing shown). */
export function effectiveProcedure(base: Procedure, o: ProcedureOverrideInput | undefined): Procedure {
  if (!o || !changesAnything(o)) return base;
  return {
    ...base,
    submitAt: present(o.submitAt) ? o.submitAt : base.submitAt,
    processingTime: present(o.processingTime) ? o.processingTime : base.processingTime,
    fees: present(o.fees) ? o.fees : base.fees,
    onlineUrl: present(o.onlineUrl) ? o.onlineUrl : base.onlineUrl,
    audience: present(o.audience) ? o.audience : base.audience,
    aliases: addNew(base.aliases, o.extraAliases),
    situations: addNew(base.situations, o.extraSituations),
  };
}

/** The commune's procedures: the shared active ones it offers, each with its overrides. */
export function effectiveProcedures(shared: readonly Procedure[], overrides: readonly ProcedureOverrideInput[]): Procedure[] {
  const byCode = new Map(overrides.map((o) => [o.code, o]));
  return shared.filter((p) => byCode.get(p.code)?.inactive !== true).map((p) => effectiveProcedure(p, byCode.get(p.code)));
}

/**
 * A commune's view of a shared index: the same scoring and the same postings, hits mapped to the commune's
 * procedures and the procedures it does not offer left out. Costs a map of the overridden procedures only.
 */
export class OverlayIndex implements CatalogIndex {
  readonly procedures: readonly Procedure[];
  private readonly replaced = new Map<string, Procedure>();
  private readonly inactive = new Set<string>();
  private readonly offeredFields: string[];

  constructor(
    readonly base: ProcedureIndex,
    overrides: readonly ProcedureOverrideInput[],
  ) {
    for (const o of overrides) {
      if (changesSearch(o)) throw new Error(`override of ${o.code} changes the searched text: build the commune's own index`);
      if (o.inactive) this.inactive.add(o.code);
      const p = base.byCode(o.code);
      if (p && !o.inactive) {
        const effective = effectiveProcedure(p, o);
        if (effective !== p) this.replaced.set(o.code, effective);
      }
    }
    this.procedures = this.inactive.size === 0 && this.replaced.size === 0 ? base.procedures : effectiveProcedures(base.procedures, overrides);
    const fields = new Set(this.procedures.map((p) => p.field));
    this.offeredFields = base.fields().filter((f) => fields.has(f));
  }

  get language(): Language {
    return this.base.language;
  }

  byCode(code: string): Procedure | undefined {
    if (this.inactive.has(code)) return undefined;
    return this.replaced.get(code) ?? this.base.byCode(code);
  }

  qualifiersOf(code: string): ReadonlySet<string> {
    return this.base.qualifiersOf(code);
  }

  fields(): string[] {
    return this.offeredFields;
  }

  search(text: string, limit = 5): SearchHit[] {
    return this.mapHits(this.base.search(text, limit + this.inactive.size), limit);
  }

  searchAnalysis(analysis: Analysis, limit = 5): SearchHit[] {
    return this.mapHits(this.base.searchAnalysis(analysis, limit + this.inactive.size), limit);
  }

  matchField(analysis: Analysis): string | null {
    const field = this.base.matchField(analysis);
    return field !== null && this.offeredFields.includes(field) ? field : null;
  }

  private mapHits(hits: SearchHit[], limit: number): SearchHit[] {
    if (this.inactive.size === 0 && this.replaced.size === 0) return hits.slice(0, limit);
    const out: SearchHit[] = [];
    for (const hit of hits) {
      if (this.inactive.has(hit.procedure.code)) continue;
      const replaced = this.replaced.get(hit.procedure.code);
      out.push(replaced ? { ...hit, procedure: replaced } : hit);
      if (out.length === limit) break;
    }
    return out;
  }
}

/**
 * The index a commune answers from: the shared one itself (no overrides), an overlay of it (display overrides and
 * procedures it does not offer), or, only when its overrides change the searched text, an index of its own.
 */
export function communeIndex(shared: ProcedureIndex, overrides: readonly ProcedureOverrideInput[], language: Language): CatalogIndex {
  const relevant = overrides.filter((o) => shared.byCode(o.code) !== undefined && changesAnything(o));
  if (relevant.length === 0) return shared;
  if (relevant.some(changesSearch)) return ProcedureIndex.build(effectiveProcedures(shared.procedures, relevant), language);
  return new OverlayIndex(shared, relevant);
}
