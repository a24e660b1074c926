/**
 * The sample payload the Test panel holds, read by the expression editor's completion to offer
 * real field names after `event.`. Kept apart from the Monaco module so setting it loads nothing.
 */
let sample: unknown;

export function setCompletionSample(payload: unknown) {
  sample = payload;
}

export function completionSample(): unknown {
  return sample;
}
