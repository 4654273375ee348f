/** Satisfaction ratings: the three answers a citizen can give and what a rating is about. Pure. */

export const ratingScores = ['satisfied', 'neutral', 'unsatisfied'] as const;
export type RatingScore = (typeof ratingScores)[number];

export const ratingScoreLabels: Record<RatingScore, string> = {
  satisfied: 'Hài lòng',
  neutral: 'Bình thường',
  unsatisfied: 'Chưa hài lòng',
};

/** procedure: after a procedure card; followup: after an answered follow-up; staff: after staff closed a handover. */
export const ratingSubjects = ['procedure', 'followup', 'staff'] as const;
export type RatingAbout = (typeof ratingSubjects)[number];

export function isRatingScore(value: string): value is RatingScore {
  return (ratingScores as readonly string[]).includes(value);
}

export function isRatingAbout(value: string): value is RatingAbout {
  return (ratingSubjects as readonly string[]).includes(value);
}

export const maxReasonLength = 500;
