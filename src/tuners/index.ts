/** Online tuner factory: a validated `TunerConfig` (from a study file) -> an `OnlineTuner`. */
import type { TunerConfig } from './config.js';
import { MetagradientTuner } from './meta-gradient.js';
import { PbtTuner } from './pbt.js';
import type { OnlineTuner } from './tuner.js';

export function createTuner(config: TunerConfig): OnlineTuner {
	switch (config.kind) {
		case 'metagradient':
			return new MetagradientTuner(config);
		case 'pbt':
			return new PbtTuner(config);
	}
}
