// What the model sees, drawn on the page: a gallery of test images with the predicted
// class, its confidence and the true class (mistakes marked in red), and a confusion
// matrix per model (rows: true class, columns: predicted; the diagonal is what it got
// right). Read next: main.ts.

import type { Confusion, Gallery } from './protocol.ts';

const pct = (v: number) => `${(v * 100).toFixed(1)}%`;

/** The images of a gallery, drawn dark on light as the book's plots show Fashion-MNIST. */
function drawImages(grid: HTMLElement, g: Gallery): void {
  grid.replaceChildren(
    ...g.truth.map((_, i) => {
      const cell = document.createElement('figure');
      const canvas = document.createElement('canvas');
      canvas.width = canvas.height = 28;
      const image = new ImageData(28, 28);
      for (let p = 0; p < 784; p++) {
        const v = 255 - g.pixels[i * 784 + p];
        image.data.set([v, v, v, 255], p * 4);
      }
      canvas.getContext('2d')!.putImageData(image, 0, 0);
      const caption = document.createElement('figcaption');
      caption.innerHTML = '<b></b> <span class="conf"></span><br><span class="truth"></span>';
      cell.append(canvas, caption);
      return cell;
    }),
  );
}

/**
 * Shows `g` in `parent`: the images are drawn when the test images change (a new phase),
 * a refresh of the same images only rewrites the captions (cheap on the main thread).
 */
export function drawGallery(parent: HTMLElement, g: Gallery, title: string): void {
  let grid = parent.querySelector<HTMLElement>('.grid');
  const key = `${g.labels.join()}|${g.truth.join()}`;
  if (!grid || grid.dataset.key !== key) {
    const heading = document.createElement('h3');
    grid = document.createElement('div');
    grid.className = 'grid';
    grid.dataset.key = key;
    drawImages(grid, g);
    parent.replaceChildren(heading, grid);
  }
  parent.querySelector('h3')!.textContent = `What ${title} predicts for the first ${g.truth.length} test images`;
  [...grid.children].forEach((cell, i) => {
    const truth = g.truth[i];
    const wrong = g.predicted[i] !== truth;
    cell.className = wrong ? 'wrong' : 'right';
    cell.querySelector('b')!.textContent = g.labels[g.predicted[i]] ?? `class ${g.predicted[i]}`;
    cell.querySelector('.conf')!.textContent = pct(g.confidence[i]);
    cell.querySelector('.truth')!.textContent = wrong ? `✗ is ${g.labels[truth]}` : '✓';
  });
}

/** Adds (or replaces, for the same model) a confusion matrix table. */
export function drawConfusion(parent: HTMLElement, c: Confusion, title: string): void {
  const n = c.matrix.flat().reduce((a, b) => a + b, 0);
  const table = document.createElement('table');
  table.className = 'confusion';
  table.dataset.phase = c.phase;
  const caption = table.createCaption();
  caption.innerHTML = '<b></b><br>';
  caption.querySelector('b')!.textContent = title;
  caption.append(`${c.split}: ${pct(c.accuracy)} right of ${n.toLocaleString('en')}`, document.createElement('br'), 'rows: true class, columns: predicted');
  const head = table.createTHead().insertRow();
  head.append(document.createElement('th'));
  for (const l of c.labels) {
    const th = document.createElement('th');
    th.textContent = l;
    th.title = `predicted ${l}`;
    head.append(th);
  }
  const body = table.createTBody();
  c.matrix.forEach((row, t) => {
    const tr = body.insertRow();
    const th = document.createElement('th');
    th.textContent = c.labels[t];
    tr.append(th);
    const total = row.reduce((a, b) => a + b, 0) || 1;
    row.forEach((count, p) => {
      const td = tr.insertCell();
      td.textContent = String(count);
      td.title = `${count} ${c.labels[t]} predicted as ${c.labels[p]} (${pct(count / total)} of that class)`;
      const share = count / total;
      // Blue on the diagonal (right), red off it (mistakes), stronger for more.
      td.style.background = count ? (t === p ? `rgba(31, 119, 180, ${0.15 + 0.6 * share})` : `rgba(214, 39, 40, ${0.1 + 0.8 * share})`) : '';
    });
  });
  parent.querySelector(`table[data-phase="${CSS.escape(c.phase)}"]`)?.remove();
  parent.append(table);
}
