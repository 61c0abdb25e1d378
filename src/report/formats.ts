/** The output formats of the comparison table (compare-format.ts), the lifetime export (export.ts), status and list, apart from them so the CLI's flag table can list them without loading any. */
export const compareFormats = ['text', 'markdown', 'csv', 'json'] as const;
export type CompareFormat = (typeof compareFormats)[number];

export const exportFormats = ['csv', 'json'] as const;
export type ExportFormat = (typeof exportFormats)[number];

/** `metatune status --format`: the text view, or one JSON object with every field it shows (status-data.ts). */
export const statusFormats = ['text', 'json'] as const;
export type StatusFormat = (typeof statusFormats)[number];

/** `metatune list --format`: one line per study, or a JSON array of the same fields (list.ts). */
export const listFormats = ['text', 'json'] as const;
export type ListFormat = (typeof listFormats)[number];
