// Worker thread of startFits (fitThreads.ts): fit the jobs it claims, then end.
import { workerData } from 'node:worker_threads';
import { type FitWorkerData, runFitJobs } from './fitThreads.ts';

runFitJobs(workerData as FitWorkerData);
