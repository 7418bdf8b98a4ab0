/** MNIST splits kept for the life of the process: the engine runs many jobs, each split is read and checked once. */
import { loadMnist, MnistSplit, Split } from './mnist';

const cache = new Map<string, MnistSplit>();

export function mnist(split: Split, limit: number): MnistSplit {
  const key = `${split}:${limit}`;
  let data = cache.get(key);
  if (!data) {
    data = loadMnist(split, undefined, limit);
    cache.set(key, data);
  }
  return data;
}
