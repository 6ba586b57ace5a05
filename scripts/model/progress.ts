/** A one-line progress bar on stderr (redrawn in place when stderr is a terminal). */
export function progressBar(
  label: string,
  total: number,
): { tick(done: number, note?: string): void; end(note?: string): void } {
  const tty = process.stderr.isTTY === true;
  const start = Date.now();
  let lastDraw = 0;
  const draw = (done: number, note: string, final: boolean) => {
    const now = Date.now();
    // Redrawing on every example would cost more than training it; 4 Hz (or every 5 s off-tty) is enough.
    if (!final && now - lastDraw < (tty ? 250 : 5000)) return;
    lastDraw = now;
    const frac = total > 0 ? Math.min(1, done / total) : 1;
    const width = 30;
    const filled = Math.round(frac * width);
    const secs = ((now - start) / 1000).toFixed(1);
    const line = `${label} [${"#".repeat(filled)}${"-".repeat(width - filled)}] ${(frac * 100).toFixed(0).padStart(3)}% ${secs}s ${note}`;
    process.stderr.write(tty ? `\r${line}\x1b[K${final ? "\n" : ""}` : `${line}\n`);
  };
  return { tick: (done, note = "") => draw(done, note, false), end: (note = "") => draw(total, note, true) };
}
