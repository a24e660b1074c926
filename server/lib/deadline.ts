/**
 * A signal that aborts after `ms` with a `TimeoutError` (as `AbortSignal.timeout`), or as soon as
 * `also` aborts, with its reason.
 *
 * Not `AbortSignal.any([AbortSignal.timeout(ms), also])`: on Node 20 the composite holds its
 * sources weakly and the timeout signal holds its timer weakly, so a garbage collection in
 * between drops the timeout and the call never times out (nodejs/node#57736). It happened to the
 * proxy under a busy test run: a POST the stack held for 2.5 s came back 201 past a 1 s limit.
 * Here the timer's callback holds the controller, so the deadline holds until it fires. The timer
 * is unref'd: it keeps no process alive.
 */
export function deadline(ms: number, also?: AbortSignal): AbortSignal {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DOMException(`The operation was aborted due to timeout (${ms} ms)`, 'TimeoutError')), ms);
  timer.unref();
  if (also) {
    const follow = () => {
      clearTimeout(timer);
      controller.abort(also.reason);
    };
    if (also.aborted) follow();
    else also.addEventListener('abort', follow, { once: true });
  }
  return controller.signal;
}
