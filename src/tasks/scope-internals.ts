/**
 * Property keys shared by the task modules and hidden from users: symbols keep the scope's store, the calling
 * run of a view, and a bound task's group join off the public surface without private-field gymnastics.
 */

/** A scope's {@link ScopeStore}. */
export const storeOf: unique symbol = Symbol('ordo.tasks.store');

/** The run whose body a scope view was handed to; `undefined` on a scope made with `new TaskScope()`. */
export const callerOf: unique symbol = Symbol('ordo.tasks.caller');

/** A bound task's entry point for `all()` / `allSettled()`: joins the run as part of a wait group. */
export const joinGroup: unique symbol = Symbol('ordo.tasks.joinGroup');
