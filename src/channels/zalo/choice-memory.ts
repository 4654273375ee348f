/**
 * Zalo has no postbacks: an `oa.query.show` button sends its payload back as the citizen's own text, visible in the
 * chat, so buttons carry the Vietnamese title. This remembers, per citizen, which payload each title stood for, so
 * a pressed button reaches the engine as a choice. After a restart a press arrives as plain text, which the engine
 * also understands.
 */
export class ChoiceMemory {
  private readonly byAddress = new Map<string, Map<string, string>>();

  constructor(private readonly maxAddresses = 10_000) {}

  remember(address: string, choices: { title: string; payload: string }[]): void {
    this.byAddress.delete(address);
    this.byAddress.set(address, new Map(choices.map((c) => [c.title.normalize('NFC'), c.payload])));
    if (this.byAddress.size > this.maxAddresses) {
      const oldest = this.byAddress.keys().next().value;
      if (oldest !== undefined) this.byAddress.delete(oldest);
    }
  }

  lookup(address: string, text: string): string | undefined {
    return this.byAddress.get(address)?.get(text.normalize('NFC').trim());
  }
}
