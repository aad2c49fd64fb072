/** A value that survives JSON.stringify / JSON.parse unchanged. Every json and jsonb column holds one. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export type JsonObject = { [key: string]: JsonValue };
