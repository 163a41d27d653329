// Contacts: the table, create and edit, CSV import and export, GDPR export and erase.
export { ContactsPage } from './contacts.page';
