import type { ProjectLinks } from './sarif-rules';

/** The project's home page (package.json `homepage`), where SARIF readers find ward and each rule's README. */
export const PROJECT_HOME = 'https://github.com/ward-compliance/ward';

/** The links SARIF points at: the project home and `rules/<id>/README.md` on its main branch. */
export function projectLinks(home: string = PROJECT_HOME): ProjectLinks {
  return { home, ruleReadme: (id) => `${home}/blob/main/rules/${id}/README.md` };
}
