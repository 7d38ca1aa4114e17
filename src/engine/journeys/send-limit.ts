/**
 * The most connections one send traces (each is a whole journey, about half a millisecond, so 10,000 take
 * some 5 s): the app's largest Send button, a scenario document's `send.count` and `journey --count`.
 */
export const MAX_SEND_COUNT = 10_000
