// Automation: the rules (with the starter bot's switch, drag-to-reorder and each rule's live log)
// and drip flows (steps that jump by id, exit rules, enrolling a contact).
export { AutomationPage } from './automation.page';
export { FlowEditorPage } from './flow-editor.page';
export { FlowsPage } from './flows.page';
export { RuleEditorPage } from './rule-editor.page';
