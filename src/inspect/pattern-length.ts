/**
 * How long a text a regular expression can match when it is anchored at both ends (`^…$`, or
 * alternatives that each are): the string scan uses it to skip, without building its text, a run
 * that no pattern of the literals it holds could match. Most of a binary's runs that hold a short
 * literal such as `.` are far longer than the seven characters `^\d\.\d{1,2}\.\d{1,2}$` allows.
 *
 * Only the syntax the rules use is understood (ECMA-262 §22.2 without the `u` or `v` flags): for
 * anything else, or a pattern that can match part of a text, the answer is undefined (any
 * length). Lengths are in UTF-16 code units, as `String.length` counts them.
 */
export interface LengthRange {
  min: number;
  max: number;
}

/** The lengths of the texts `source` can match, when every match spans the whole text. */
export function wholeMatchLengths(source: string, flags: string): LengthRange | undefined {
  // With `u` or `v` a class or `.` can match two code units; `x`-like flags do not exist in JS.
  if (/[uv]/.test(flags)) return undefined;
  try {
    const parser = new Parser(source);
    const alternatives = parser.alternatives();
    if (parser.at < source.length) return undefined;
    let range: LengthRange | undefined;
    for (const terms of alternatives) {
      // Each alternative must be `^`, then terms without anchors, then `$`. Runs hold no line
      // terminator, so with the `m` flag `^` and `$` still mean the text's start and end.
      if (terms.length < 2 || terms[0] !== '^' || terms[terms.length - 1] !== '$') return undefined;
      const inner = terms.slice(1, -1);
      if (inner.some((t) => t === '^' || t === '$' || (typeof t === 'object' && t.anchored))) return undefined;
      const r = sequence(inner);
      range = range ? { min: Math.min(range.min, r.min), max: Math.max(range.max, r.max) } : r;
    }
    return range;
  } catch {
    return undefined;
  }
}

/** A parsed term: an anchor, or something with a length range (`anchored`: it holds `^` or `$`). */
type Term = '^' | '$' | (LengthRange & { anchored: boolean });

function sequence(terms: readonly Term[]): LengthRange & { anchored: boolean } {
  let min = 0;
  let max = 0;
  let anchored = false;
  for (const t of terms) {
    if (typeof t === 'string') anchored = true;
    else {
      min += t.min;
      max += t.max;
      anchored ||= t.anchored;
    }
  }
  return { min, max, anchored };
}

class Unsupported extends Error {}

class Parser {
  at = 0;

  constructor(private readonly src: string) {}

  /** Disjunction: the terms of each alternative. */
  alternatives(): Term[][] {
    const all: Term[][] = [this.terms()];
    while (this.src[this.at] === '|') {
      this.at++;
      all.push(this.terms());
    }
    return all;
  }

  private terms(): Term[] {
    const terms: Term[] = [];
    for (;;) {
      const c = this.src[this.at];
      if (c === undefined || c === '|' || c === ')') return terms;
      if (c === '^' || c === '$') {
        this.at++;
        terms.push(c);
        continue;
      }
      const atom = this.atom();
      terms.push(this.quantified(atom));
    }
  }

  private atom(): LengthRange & { anchored: boolean } {
    const c = this.src[this.at++]!;
    const one = { min: 1, max: 1, anchored: false };
    if (c === '(') return this.group();
    if (c === '[') {
      this.classBody();
      return one;
    }
    if (c === '\\') return this.escape();
    if (c === '*' || c === '+' || c === '?') throw new Unsupported('nothing to repeat');
    return one;
  }

  private group(): LengthRange & { anchored: boolean } {
    let lookaround = false;
    if (this.src[this.at] === '?') {
      const rest = this.src.slice(this.at + 1);
      if (rest.startsWith(':')) this.at += 2;
      else if (rest.startsWith('=') || rest.startsWith('!')) {
        this.at += 2;
        lookaround = true;
      } else if (rest.startsWith('<=') || rest.startsWith('<!')) {
        this.at += 3;
        lookaround = true;
      } else if (rest.startsWith('<')) {
        const close = this.src.indexOf('>', this.at);
        if (close < 0) throw new Unsupported('group name');
        this.at = close + 1;
      } else throw new Unsupported('group modifier');
    }
    const alternatives = this.alternatives();
    if (this.src[this.at++] !== ')') throw new Unsupported('unclosed group');
    const ranges = alternatives.map(sequence);
    const anchored = ranges.some((r) => r.anchored);
    // A lookaround matches no characters of its own.
    if (lookaround) return { min: 0, max: 0, anchored };
    return { min: Math.min(...ranges.map((r) => r.min)), max: Math.max(...ranges.map((r) => r.max)), anchored };
  }

  private classBody(): void {
    if (this.src[this.at] === '^') this.at++;
    // A `]` first in the class is a character (Annex B reads `[]` as the empty class; neither occurs).
    for (;;) {
      const c = this.src[this.at++];
      if (c === undefined) throw new Unsupported('unclosed class');
      if (c === '\\') this.at++;
      else if (c === ']') return;
    }
  }

  private escape(): LengthRange & { anchored: boolean } {
    const c = this.src[this.at++];
    if (c === undefined) throw new Unsupported('trailing backslash');
    // \b and \B are assertions; \1… and \k<name> refer back to a group of any length.
    if (c === 'b' || c === 'B') return { min: 0, max: 0, anchored: false };
    if (/[1-9k]/.test(c)) throw new Unsupported('back reference');
    if (c === 'x') this.at += 2;
    else if (c === 'u') {
      if (this.src[this.at] === '{') throw new Unsupported('code point escape');
      this.at += 4;
    } else if (c === 'c') this.at += 1;
    return { min: 1, max: 1, anchored: false };
  }

  private quantified(atom: LengthRange & { anchored: boolean }): Term {
    const c = this.src[this.at];
    let lo = 1;
    let hi = 1;
    if (c === '*' || c === '+' || c === '?') {
      this.at++;
      lo = c === '+' ? 1 : 0;
      hi = c === '?' ? 1 : Infinity;
    } else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.at));
      // Annex B: a `{` that starts no quantifier is a character of its own.
      if (!m) return atom;
      this.at += m[0].length;
      lo = Number(m[1]);
      hi = m[2] === undefined ? lo : m[3] === '' ? Infinity : Number(m[3]);
    } else return atom;
    if (this.src[this.at] === '?') this.at++;
    return { min: atom.min * lo, max: atom.max === 0 ? 0 : atom.max * hi, anchored: atom.anchored };
  }
}
