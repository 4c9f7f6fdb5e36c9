// Every bench ends the same way: its figures as a JSON file in bench/results/ and as one JSON line on stdout.
import fs from 'node:fs';

export function saveBenchResult(name: string, result: unknown): void {
  fs.mkdirSync('bench/results', { recursive: true });
  fs.writeFileSync(`bench/results/${name}.json`, JSON.stringify(result, null, 2) + '\n');
  console.log(JSON.stringify(result));
}
