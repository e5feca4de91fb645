/** The label key of a record field a request names (name, phone …): typed as one known key for i18next. */
export const fieldKey = (field: string) => `privacyUi.fields.${field}` as 'privacyUi.fields.name';
