/** `metatune report <study...>`: parses arguments and calls writeReport (src/report/html.ts). */
import type { CommandModule } from 'yargs';
import { storageOf, storageOption } from './storage-flag.js';

interface ReportArgs {
	studies: string[];
	results: string;
	out?: string;
	storage?: string;
}

const report: CommandModule<object, ReportArgs> = {
	command: 'report <studies..>',
	describe:
		'Write a self-contained report.html with SVG figures (best so far, reward vs discount, discount trajectories, learning curves, pbt members and lineage, slices, importance) for one or more studies',
	builder: (y) =>
		y
			.positional('studies', { type: 'string', array: true, demandOption: true, describe: 'Study names (under --results), folders or study files' })
			.option('results', { type: 'string', default: 'results', describe: 'Folder holding one folder per study' })
			.option('out', { type: 'string', describe: 'Output folder (default: results/<first study>/report/)' })
			.option('storage', storageOption)
			.example('$0 report quickstart', 'Write results/quickstart/report/report.html and one SVG per figure')
			.epilogue('Works on studies still running or interrupted: the page says so and shows what is there so far. The page loads nothing from the network.') as never,
	handler: async (args) => {
		const { writeReport } = await import('../report/html.js'); // vega loads only for this command
		const result = await writeReport(args.studies, { resultsDir: args.results, ...(args.out === undefined ? {} : { outDir: args.out }), storage: storageOf(args) });
		for (const s of result.skipped) process.stderr.write(`not drawn: ${s.title}: ${s.reason}\n`);
		const figures = result.figures.map((f) => `${f.id}.svg`);
		process.stdout.write(
			figures.length === 0 ? `wrote ${result.html} (no figures drawn yet)\n` : `wrote ${result.html} and ${figures.length} figure${figures.length === 1 ? '' : 's'} (${figures.join(', ')})\n`,
		);
		if (result.removed.length > 0)
			process.stdout.write(
				`removed ${result.removed.length} figure${result.removed.length === 1 ? '' : 's'} of the earlier report in ${result.outDir} that this report does not draw (${result.removed.join(', ')})\n`,
			);
	},
};

export const reportCommand = report as unknown as CommandModule;
