// Placeholder: the function library is registered on every compiled expression, in the host and in
// the isolate alike. The mapping issue fills this in.
export {};
