// The type-check baseline: a file that reaches no library.
export const answer: number = 42;
