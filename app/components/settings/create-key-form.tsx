import Button from '@mui/material/Button';
import TextField from '@mui/material/TextField';
import { Form, useNavigation } from 'react-router';
import { useT } from '#app/i18n/i18n-context.tsx';

export function CreateKeyForm() {
  const t = useT();
  const navigation = useNavigation();
  const creating = navigation.state !== 'idle' && navigation.formData?.get('intent') === 'create';
  return (
    <Form method="post" style={{ display: 'flex', gap: 8, flexWrap: 'wrap', alignItems: 'flex-start' }}>
      <input type="hidden" name="intent" value="create" />
      <TextField
        name="name"
        label={t('settings.keys.nameLabel')}
        placeholder={t('settings.keys.namePlaceholder')}
        size="small"
        required
        slotProps={{ htmlInput: { maxLength: 100 } }}
        sx={{ flex: '1 1 260px', maxWidth: 420 }}
      />
      <Button type="submit" variant="contained" disabled={creating} data-testid="create-api-key">
        {t('settings.keys.create')}
      </Button>
    </Form>
  );
}
