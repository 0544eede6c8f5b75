/**
 * The token vocabulary: token strings to embedding rows. Browser-safe.
 */

/** Default minimum count of a token in the training split to enter the vocabulary. */
export const defaultMinCount = 2;

/**
 * A fixed vocabulary. Row 0 is reserved for padding (see `EmbeddingBag`): tokens get ids
 * `1..size-1`; unknown tokens have no id and are dropped.
 */
export class Vocabulary {
  /** The tokens; `tokens[id - 1]` is the token of id `id`. */
  readonly tokens: readonly string[];
  readonly #ids: Map<string, number>;

  /**
   * @param tokens - Distinct tokens, in id order (id 1 first).
   * @throws RangeError for a duplicate or empty token.
   */
  constructor(tokens: readonly string[]) {
    this.tokens = tokens.slice();
    this.#ids = new Map();
    tokens.forEach((token, i) => {
      if (token === '' || this.#ids.has(token))
        throw new RangeError(`Vocabulary: duplicate or empty token ${JSON.stringify(token)}`);
      this.#ids.set(token, i + 1);
    });
  }

  /**
   * Builds the vocabulary of the tokens that occur at least `minCount` times in `documents`,
   * ordered by decreasing count, then alphabetically (so the result does not depend on the
   * order of the documents).
   *
   * @param documents - Token lists, one per training record.
   * @param minCount - Minimum number of occurrences, default {@link defaultMinCount}.
   */
  static build(documents: Iterable<readonly string[]>, minCount = defaultMinCount): Vocabulary {
    const counts = new Map<string, number>();
    for (const tokens of documents)
      for (const token of tokens) counts.set(token, (counts.get(token) ?? 0) + 1);
    const kept = [...counts].filter(([, count]) => count >= minCount);
    kept.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    return new Vocabulary(kept.map(([token]) => token));
  }

  /** Number of embedding rows: the tokens plus the padding row 0. */
  get size(): number {
    return this.tokens.length + 1;
  }

  /** The id of `token` (`1..size-1`), or `undefined` when it is not in the vocabulary. */
  id(token: string): number | undefined {
    return this.#ids.get(token);
  }

  /** The ids of the known tokens of `tokens`, in order; unknown tokens are dropped. */
  encode(tokens: readonly string[]): number[] {
    const ids: number[] = [];
    for (const token of tokens) {
      const id = this.#ids.get(token);
      if (id !== undefined) ids.push(id);
    }
    return ids;
  }

  /** The JSON form: the token list in id order. */
  toJSON(): string[] {
    return this.tokens.slice();
  }

  /**
   * Reads the JSON form written by {@link toJSON}.
   *
   * @throws TypeError when `value` is not an array of strings.
   */
  static fromJSON(value: unknown): Vocabulary {
    if (!Array.isArray(value) || !value.every((t) => typeof t === 'string'))
      throw new TypeError('Vocabulary.fromJSON: expected an array of strings');
    return new Vocabulary(value as string[]);
  }
}
