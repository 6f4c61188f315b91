/**
 * Cache keys for task inputs that are objects: a string that is equal for structurally equal inputs, whatever
 * their property order. Primitive inputs never come here; they are their own key.
 */

/**
 * How a message names the input: a `task()`'s input, the one argument of a `@Task()` method, or the argument list
 * of a method called with several (where the first step of a path is the argument's position).
 */
export type InputNaming = 'input' | 'argument' | 'arguments';

/** What made an input unkeyable. */
type Flaw =
  { readonly kind: 'function' | 'symbol' | 'cyclic' } | { readonly kind: 'opaque'; readonly className: string };

/** Why an input could not be keyed, with where in the input the problem is (e.g. `input.filter[0]`). */
export class UnkeyableInput extends Error {
  readonly #flaw: Flaw;
  readonly #path: readonly Step[];

  constructor(flaw: Flaw, path: readonly Step[]) {
    super(describeFlaw(flaw, path, 'input'));
    this.#flaw = flaw;
    this.#path = path;
  }

  /** The problem in words, naming the place as `naming` says (`argument 1.filter` for a method's arguments). */
  describe(naming: InputNaming): string {
    return describeFlaw(this.#flaw, this.#path, naming);
  }
}

function describeFlaw(flaw: Flaw, path: readonly Step[], naming: InputNaming): string {
  // A method's argument list is never itself at fault, so one step into it is the whole argument.
  const whole = path.length === (naming === 'arguments' ? 1 : 0);
  const where = whole && naming === 'input' ? 'the input' : pathText(path, naming);
  switch (flaw.kind) {
    case 'function':
    case 'symbol':
      return whole ? `${where} is a ${flaw.kind}` : `it contains a ${flaw.kind} at ${where}`;
    case 'cyclic':
      return `it is cyclic: ${pathText(path, naming)} refers back to an object that contains it`;
    case 'opaque':
      return `${where} is a ${flaw.className} with no enumerable properties to key by`;
  }
}

/**
 * The structural key of an object, function or symbol input.
 *
 * Arrays keep their order; plain objects, Maps and Sets do not depend on insertion order; Dates are keyed by
 * their time; properties whose value is `undefined` are left out (as JSON does), so `{ id: 1, q: undefined }`
 * and `{ id: 1 }` share a key. Enumerable symbol-keyed properties count too, each symbol by its identity (a
 * registered one, `Symbol.for(name)`, by its name). An object with a `toJSON` method is keyed by its class and what
 * `toJSON` returns; any other class instance by its class and own enumerable properties. A class is known by its
 * identity, not its name: two classes that share a name and fields key apart.
 *
 * @throws UnkeyableInput for functions, symbols, cyclic objects and objects with nothing to key by.
 */
export function structuralKey(input: unknown): string {
  return encode(input, [], []);
}

/** Where in the input the encoder is: property names, array indexes, and markers for Map / Set / toJSON steps. */
type Step = string | number | SymbolProperty | typeof MAP_KEY | typeof MAP_VALUE | typeof SET_ELEMENT | typeof TO_JSON;
const MAP_KEY = Symbol('map key');
const MAP_VALUE = Symbol('map value');
const SET_ELEMENT = Symbol('set element');
const TO_JSON = Symbol('toJSON()');

/** A step through a symbol-keyed property: a class, so it cannot be mistaken for the marker symbols above. */
class SymbolProperty {
  constructor(readonly symbol: symbol) {}
}

/**
 * The key text of each class whose instances were keyed, by prototype. A number from a counter, not the class's
 * name: two classes can share a name (two modules, two copies of a package), and their instances must not share
 * results. Weak, so a class made at run time and dropped leaves nothing behind.
 */
const classTags = new WeakMap<object, string>();
let classCount = 0;

/**
 * The key text of each unregistered symbol used as a property key: it has no text of its own that tells two
 * symbols apart (`Symbol('tag')` twice gives two symbols with one description). Weak, like {@link classTags}.
 */
const symbolTags = new WeakMap<symbol, string>();
let symbolCount = 0;

// The path is kept as steps and only turned into text for an error, so keying a valid input builds no path strings.
function encode(value: unknown, path: Step[], ancestors: object[]): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Object.is(value, -0) ? '0' : String(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'undefined':
      return 'undefined';
    case 'bigint':
      return `${value}n`;
    case 'symbol':
    case 'function':
      throw new UnkeyableInput({ kind: typeof value === 'symbol' ? 'symbol' : 'function' }, [...path]);
  }
  if (value === null) return 'null';
  const object = value as object;
  if (ancestors.includes(object)) {
    throw new UnkeyableInput({ kind: 'cyclic' }, [...path]);
  }
  ancestors.push(object);
  try {
    return encodeObject(object, path, ancestors);
  } finally {
    ancestors.pop();
  }
}

function encodeObject(object: object, path: Step[], ancestors: object[]): string {
  const proto: unknown = Object.getPrototypeOf(object);
  if (proto === Object.prototype || proto === null) return encodeProperties(object, path, ancestors);
  if (Array.isArray(object)) {
    let text = '[';
    for (let i = 0; i < object.length; i++) {
      path.push(i);
      text += (i === 0 ? '' : ',') + encode(object[i], path, ancestors);
      path.pop();
    }
    return `${text}]`;
  }
  if (object instanceof Date) return `Date(${object.getTime()})`;
  if (object instanceof Map) {
    const parts: string[] = [];
    for (const [k, v] of object) {
      path.push(MAP_KEY);
      const keyText = encode(k, path, ancestors);
      path[path.length - 1] = MAP_VALUE;
      parts.push(`${keyText}=>${encode(v, path, ancestors)}`);
      path.pop();
    }
    return `Map{${parts.sort().join(',')}}`;
  }
  if (object instanceof Set) {
    const parts: string[] = [];
    path.push(SET_ELEMENT);
    for (const v of object) parts.push(encode(v, path, ancestors));
    path.pop();
    return `Set[${parts.sort().join(',')}]`;
  }
  const tag = classTagOf(proto as object);
  const toJSON = (object as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') {
    path.push(TO_JSON);
    const text = encode(toJSON.call(object), path, ancestors);
    path.pop();
    return `${tag}(${text})`;
  }
  if (Object.keys(object).length === 0 && !hasEnumerableSymbol(object)) {
    throw new UnkeyableInput({ kind: 'opaque', className: classNameOf(object) }, [...path]);
  }
  return tag + encodeProperties(object, path, ancestors);
}

/** `#<n>`: no other encoding starts with `#`, so a class instance's key never equals another kind's. */
function classTagOf(proto: object): string {
  let tag = classTags.get(proto);
  if (tag === undefined) {
    tag = `#${++classCount}`;
    classTags.set(proto, tag);
  }
  return tag;
}

function hasEnumerableSymbol(object: object): boolean {
  for (const symbol of Object.getOwnPropertySymbols(object)) if (isEnumerable.call(object, symbol)) return true;
  return false;
}

const isEnumerable = Object.prototype.propertyIsEnumerable;

function encodeProperties(object: object, path: Step[], ancestors: object[]): string {
  const record = object as Record<string, unknown>;
  const names = Object.keys(record);
  if (names.length > 1) names.sort();
  let text = '{';
  for (const name of names) {
    const value = record[name];
    if (value === undefined) continue;
    path.push(name);
    text += `${text.length === 1 ? '' : ','}${JSON.stringify(name)}:${encode(value, path, ancestors)}`;
    path.pop();
  }
  const symbols = Object.getOwnPropertySymbols(object);
  if (symbols.length !== 0) text = encodeSymbolProperties(object, symbols, text, path, ancestors);
  return `${text}}`;
}

/**
 * Appends an object's enumerable symbol-keyed properties to `text`, ordered by their symbols' key text so that
 * insertion order does not matter, as for string names. Bracketed (`[Symbol.for("a")]`, `[@3]`), so a symbol key
 * never reads as a string name, which is always quoted.
 */
function encodeSymbolProperties(
  object: object,
  symbols: symbol[],
  text: string,
  path: Step[],
  ancestors: object[],
): string {
  const record = object as Record<symbol, unknown>;
  const named: Array<[string, symbol]> = [];
  for (const symbol of symbols) {
    if (isEnumerable.call(object, symbol) && record[symbol] !== undefined) named.push([symbolTagOf(symbol), symbol]);
  }
  if (named.length > 1) named.sort((a, b) => (a[0] < b[0] ? -1 : 1));
  for (const [tag, symbol] of named) {
    path.push(new SymbolProperty(symbol));
    text += `${text.length === 1 ? '' : ','}[${tag}]:${encode(record[symbol], path, ancestors)}`;
    path.pop();
  }
  return text;
}

/** A registered symbol by its registry name, which is the same symbol wherever it is asked for; others by identity. */
function symbolTagOf(symbol: symbol): string {
  const registered = Symbol.keyFor(symbol);
  if (registered !== undefined) return `Symbol.for(${JSON.stringify(registered)})`;
  let tag = symbolTags.get(symbol);
  if (tag === undefined) {
    tag = `@${++symbolCount}`;
    symbolTags.set(symbol, tag);
  }
  return tag;
}

function pathText(path: readonly Step[], naming: InputNaming): string {
  let text = naming === 'input' ? 'input' : naming === 'argument' ? 'argument 0' : `argument ${String(path[0])}`;
  for (const step of naming === 'arguments' ? path.slice(1) : path) {
    if (typeof step === 'number') text += `[${step}]`;
    else if (typeof step === 'string')
      text += /^[A-Za-z_$][\w$]*$/.test(step) ? `.${step}` : `[${JSON.stringify(step)}]`;
    else if (step instanceof SymbolProperty) text += `[${step.symbol.toString()}]`;
    else if (step === MAP_KEY) text += ' (a Map key)';
    else if (step === MAP_VALUE) text += '.get(…)';
    else if (step === SET_ELEMENT) text += ' (a Set element)';
    else text += '.toJSON()';
  }
  return text;
}

function classNameOf(object: object): string {
  const ctor = (object as { constructor?: { name?: unknown } }).constructor;
  return typeof ctor?.name === 'string' && ctor.name !== '' ? ctor.name : 'Object';
}

const LABEL_LIMIT = 60;

/** A short readable rendering of an input for messages: `"1"`, `42`, `{"id":1}`. Never throws. */
export function describeInput(input: unknown): string {
  let text: string;
  switch (typeof input) {
    case 'string':
      text = JSON.stringify(input);
      break;
    case 'bigint':
      text = `${input}n`;
      break;
    case 'symbol':
      text = input.toString();
      break;
    case 'function':
      text = `[function ${input.name || 'anonymous'}]`;
      break;
    case 'object':
      text = input === null ? 'null' : describeObject(input);
      break;
    default:
      text = String(input);
  }
  return text.length > LABEL_LIMIT ? `${text.slice(0, LABEL_LIMIT - 1)}…` : text;
}

function describeObject(input: object): string {
  try {
    return JSON.stringify(input, (_name, value: unknown) => (typeof value === 'bigint' ? `${value}n` : value)) ?? '{}';
  } catch {
    return `[${classNameOf(input)}]`;
  }
}
