import Box from '@mui/material/Box';
import { Fragment } from 'react';
import { monospace } from '../theme.ts';

/** Descriptions in the OpenAPI document mark code with `backticks`; render those as code, the rest as text. */
export function InlineCodeText({ text }: { text: string }) {
  return (
    <>
      {text.split(/(`[^`]+`)/).map((part, i) =>
        part.startsWith('`') && part.endsWith('`') && part.length > 1 ? (
          <Box key={i} component="code" sx={{ fontFamily: monospace, fontSize: '0.9em', px: 0.5, py: 0.125, bgcolor: 'grey.100', borderRadius: 0.5 }}>
            {part.slice(1, -1)}
          </Box>
        ) : (
          <Fragment key={i}>{part}</Fragment>
        ),
      )}
    </>
  );
}
