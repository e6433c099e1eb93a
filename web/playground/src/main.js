// Gatehouse's GraphiQL: the page at / in dev. Everything it needs is in
// this bundle (no CDN), so it works offline; it talks to /graphql on the
// same origin.
import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';

import { createElement as h, StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { GraphiQL } from 'graphiql';
import { useGraphiQL, useGraphiQLActions } from '@graphiql/react';
import { createGraphiQLFetcher } from '@graphiql/toolkit';

import { examples } from './examples.js';

const fetcher = createGraphiQLFetcher({ url: new URL('/graphql', window.location.href).href });

// ExamplesPane lists the ready-made operations; "Open" puts one in a new
// tab (the editors are filled once the new tab is the active one).
function ExamplesPane() {
  const { addTab } = useGraphiQLActions();
  const editors = useGraphiQL((s) => ({ q: s.queryEditor, v: s.variableEditor, hd: s.headerEditor }));
  const open = (ex) => {
    addTab();
    // The new tab's editors are set on the next frames, after React has
    // switched to it; writing earlier would change the tab being left.
    requestAnimationFrame(() =>
      requestAnimationFrame(() => {
        editors.q?.setValue(ex.query);
        editors.v?.setValue(ex.variables);
        editors.hd?.setValue(ex.headers);
      }),
    );
  };
  return h(
    'section',
    { className: 'gatehouse-examples', 'aria-label': 'Example operations' },
    h('div', { className: 'graphiql-doc-explorer-title' }, 'Examples'),
    h(
      'p',
      null,
      'Operations for the main journeys. Put an access token in the headers pane as ',
      h('code', null, '{"Authorization": "Bearer …"}'),
      '.',
    ),
    h(
      'ul',
      { style: { listStyle: 'none', padding: 0 } },
      examples.map((ex) =>
        h(
          'li',
          { key: ex.title, style: { marginBottom: '1em' } },
          h('strong', null, ex.title),
          h('div', null, ex.about),
          h(
            'button',
            { type: 'button', className: 'graphiql-button', onClick: () => open(ex), 'data-example': ex.title },
            'Open in a new tab',
          ),
        ),
      ),
    ),
  );
}

function ExamplesIcon() {
  return h(
    'svg',
    { viewBox: '0 0 24 24', width: '1em', height: '1em', fill: 'none', stroke: 'currentColor', strokeWidth: 1.5, 'aria-hidden': true },
    h('path', { d: 'M4 5h16M4 10h16M4 15h10M4 20h7' }),
  );
}

const examplesPlugin = { title: 'Examples', icon: ExamplesIcon, content: ExamplesPane };

createRoot(document.getElementById('root')).render(
  h(
    StrictMode,
    null,
    h(GraphiQL, {
      fetcher,
      plugins: [examplesPlugin],
      defaultTabs: examples.map(({ query, variables, headers }) => ({ query, variables, headers })),
      isHeadersEditorEnabled: true,
      // Access tokens stay out of localStorage unless the developer turns
      // on "Persist headers" in the settings.
      shouldPersistHeaders: false,
      showPersistHeadersSettings: true,
      defaultEditorToolsVisibility: 'headers',
    }),
  ),
);
