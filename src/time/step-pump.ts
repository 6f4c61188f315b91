// The real setImmediate, imported from node:timers rather than read from globalThis so that a test framework's
// fake timers cannot capture it. It is not a time source: VirtualClock uses it only to let other work run.
import { setImmediate as realSetImmediate } from 'node:timers';

/** The most extra event-loop turns waited after one step while other setImmediate callbacks are queued. */
export const MAX_EXTRA_TURNS = 16;

/** Steps queued per event-loop turn; Node runs them back to back, draining microtasks between each. */
const STEPS_PER_TURN = 32;

/** Extra turns taken after every step where Node cannot report its queued immediates. */
const FALLBACK_EXTRA_TURNS = 3;

/** Immediates queued by every pump in this module, so that pumps (several clocks) do not wait for each other. */
let pumpImmediatesPending = 0;

/** Whether this Node can list its queued immediates (`process.getActiveResourcesInfo`, Node 17.3 and later). */
const canCountImmediates = typeof process.getActiveResourcesInfo === 'function';

/** Whether setImmediate callbacks other than the pumps' are queued; undefined where Node cannot say. */
function otherImmediatesQueued(): boolean | undefined {
  if (!canCountImmediates) return undefined;
  // Called before every step: an indexed loop, with no iterator to allocate. Node lists immediates last.
  const resources = process.getActiveResourcesInfo();
  let queued = 0;
  for (let at = resources.length - 1; at >= 0; at--) {
    if (resources[at] === 'Immediate' && ++queued > pumpImmediatesPending) return true;
  }
  return false;
}

/**
 * Calls `step` until it returns false, each call in its own macrotask, so that whatever the previous call
 * started runs before the next — without ever waiting for that work to finish.
 *
 * The rule, before every call (the first included):
 * 1. every microtask and `process.nextTick` queued so far has run, however long the chain of awaits: each call
 *    is a separate setImmediate callback, and Node drains both queues between any two of them;
 * 2. then, while other setImmediate callbacks are queued (work that hops through the event loop), the pump
 *    waits for them a whole event-loop turn at a time, up to {@link MAX_EXTRA_TURNS} turns.
 * Work waiting on I/O or on a real timer is not waited for. Where Node cannot report queued immediates, the pump
 * waits 3 extra turns before every call.
 *
 * Up to 32 calls share one event-loop turn (Node runs immediates queued together back to back, draining
 * microtasks between them), which costs far less than a turn per call; that is what makes advancing through a
 * day of ticks fast. Rejects with whatever `step` throws.
 */
export function pumpSteps(step: () => boolean): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    /**
     * Steps already queued for this turn that the pump gave up on when it stopped to wait a turn: they run before
     * the one it queued for the next turn, and do nothing. Counted rather than tagged, so that an immediate
     * carries no arguments (each would cost Node an array).
     */
    let retired = 0;
    let leftThisTurn = 0;
    let extraTurns = 0;
    let finished = false;

    const queue = (count: number): void => {
      leftThisTurn = count;
      pumpImmediatesPending += count;
      for (let i = 0; i < count; i++) realSetImmediate(onImmediate);
    };

    const mustWaitATurn = (): boolean => {
      if (extraTurns >= MAX_EXTRA_TURNS) return false;
      const queued = otherImmediatesQueued();
      return queued === undefined ? extraTurns < FALLBACK_EXTRA_TURNS : queued;
    };

    function onImmediate(): void {
      pumpImmediatesPending--;
      if (finished) return;
      if (retired > 0) {
        retired--;
        return;
      }
      leftThisTurn--;
      try {
        if (mustWaitATurn()) {
          // Immediates queued now run on the next turn; follow them there with a single step.
          extraTurns++;
          retired = leftThisTurn;
          queue(1);
          return;
        }
        extraTurns = 0;
        if (!step()) {
          finished = true;
          resolve();
        } else if (leftThisTurn === 0) {
          queue(STEPS_PER_TURN);
        }
      } catch (error) {
        finished = true;
        reject(error);
      }
    }

    queue(STEPS_PER_TURN);
  });
}
