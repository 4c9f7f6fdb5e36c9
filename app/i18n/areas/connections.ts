// UI strings of the connections area. `es` must have exactly the keys of `en` (checked by tsc).
export const en = {
} satisfies Record<string, string>;

export const es: Record<keyof typeof en, string> = {
};
