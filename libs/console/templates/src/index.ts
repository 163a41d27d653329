// Templates: the list (filters, sync from Meta), and the editor with its live preview, drafts and review.
export { TemplateEditorPage } from './template-editor.page';
export { TemplatesPage } from './templates.page';
