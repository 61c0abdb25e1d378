/**
 * Searcher factory: a validated `SearcherConfig` (from a study file) -> a `Searcher`.
 */
import type { SearcherConfig } from './config.js';
import { GpSearcher } from './gp/searcher.js';
import { GridSearcher } from './grid.js';
import { RandomSearcher } from './random.js';
import type { Searcher } from './searcher.js';
import { TpeSearcher } from './tpe/searcher.js';

export function createSearcher(config: SearcherConfig): Searcher {
	switch (config.kind) {
		case 'grid':
			return new GridSearcher(config);
		case 'random':
			return new RandomSearcher(config);
		case 'gp':
			return new GpSearcher(config);
		case 'tpe':
			return new TpeSearcher(config);
	}
}
