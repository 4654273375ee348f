/** One administrative procedure of the commune's published set, as the domain sees it. */
export interface Procedure {
  code: string;
  name: string;
  field: string;
  documents: string[];
  processingTime: string;
  fees: string;
  submitAt: string;
  onlineUrl: string | null;
  /** "toàn trình" | "một phần" | null */
  onlineLevel: string | null;
  legalBasis: string[];
  aliases: string[];
  /** How citizens describe the need in their own words (tình huống), e.g. "bố em vừa mất, muốn làm giấy báo tử". */
  situations: string[];
  /** Who the procedure is for (đối tượng thực hiện), or null. */
  audience: string | null;
  source: string | null;
  active: boolean;
}

export interface Hotline {
  key: string;
  name: string;
  number: string;
  purpose: string;
  hours: string | null;
  isExample: boolean;
  sortOrder: number;
}

export interface CommuneProfile {
  name: string;
  address: string;
  workingHours: string;
  /** Opening hours in the short form the bot computes with ("T2-T6 07:30-11:30 13:30-17:00"); absent: the usual. */
  officeHours?: string | null;
  website: string | null;
  portalUrl: string | null;
  email: string | null;
  note: string | null;
}
