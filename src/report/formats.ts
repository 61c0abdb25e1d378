/** The output formats of the comparison table (compare.ts) and the lifetime export (export.ts), apart from them so the CLI's flag table can list them without loading either. */
export const compareFormats = ['text', 'markdown', 'csv', 'json'] as const;
export type CompareFormat = (typeof compareFormats)[number];

export const exportFormats = ['csv', 'json'] as const;
export type ExportFormat = (typeof exportFormats)[number];
