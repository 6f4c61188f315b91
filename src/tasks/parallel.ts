import { type AbortListener, unwatchAbort, watchAbort } from './abort-watch.js';
import { WaitGroup } from './run-waiter.js';
import { joinGroup } from './scope-internals.js';
import type { BoundTask } from './task.js';
import type { TaskScope } from './task-scope.js';

/**
 * `scope.all()`: every bound task joins one wait group; the first failure (or the caller's signal) leaves the
 * whole group, which abandons the runs nobody else waits for.
 */
export function runGroup(
  scope: TaskScope,
  tasks: readonly BoundTask<unknown>[],
  signal?: AbortSignal,
): Promise<unknown[]> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  const count = tasks.length;
  if (count === 0) return Promise.resolve([]);
  const group = new WaitGroup();
  return new Promise((resolve, reject) => {
    const outputs = new Array<unknown>(count);
    let pending = count;
    let over = false;
    const stop: AbortListener = {
      onAbort(reason: unknown) {
        if (over) return;
        over = true;
        if (signal !== undefined) unwatchAbort(signal, stop);
        group.leaveAll(reason);
        reject(reason);
      },
    };
    if (signal !== undefined) watchAbort(signal, stop);
    for (let i = 0; i < count; i++) {
      joinSafely(tasks[i]!, scope, group).then((output) => {
        if (over) return;
        outputs[i] = output;
        if (--pending === 0) {
          over = true;
          if (signal !== undefined) unwatchAbort(signal, stop);
          resolve(outputs);
        }
      }, stop.onAbort);
    }
  });
}

/** `scope.allSettled()`: waits for every bound task; only the caller's signal ends the wait early. */
export function settleGroup(
  scope: TaskScope,
  tasks: readonly BoundTask<unknown>[],
  signal?: AbortSignal,
): Promise<PromiseSettledResult<unknown>[]> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  const group = new WaitGroup();
  const settled = Promise.allSettled(tasks.map((bound) => joinSafely(bound, scope, group)));
  if (signal === undefined) return settled;
  return new Promise((resolve, reject) => {
    const stop: AbortListener = {
      onAbort(reason: unknown) {
        group.leaveAll(reason);
        reject(reason);
      },
    };
    watchAbort(signal, stop);
    void settled.then((outcomes) => {
      unwatchAbort(signal, stop);
      resolve(outcomes);
    });
  });
}

function joinSafely(bound: BoundTask<unknown>, scope: TaskScope, group: WaitGroup): Promise<unknown> {
  try {
    return bound[joinGroup](scope, group);
  } catch (error) {
    return Promise.reject(error);
  }
}
