/**
 * `true` when `A` and `B` are the same type, not merely assignable one to the other: `any`, optional members and
 * readonly tuples all tell apart. (Two generic functions are compared by the compiler's own identity check.)
 */
export type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

/**
 * Pins the type of `value` at compile time: `typeOf(x).is<Expected>()` compiles only when `x` is exactly
 * `Expected` (else tsc asks for an argument that cannot be given). At run time it returns the value, so a test
 * can go on to assert on it.
 */
export function typeOf<T>(value: T): {
  is<Expected>(...exactly: Equal<T, Expected> extends true ? [] : [mismatch: never]): T;
} {
  return { is: () => value };
}
