// help_show: the documentation of each action, as CKAN returns an action's docstring. Every response's `help` link
// points here, so it must answer for every action this subset offers.

/** The actions this subset offers, each with its documentation (CKAN's docstring layout: params, then return type). */
export const CKAN_HELP = {
  status_show: 'Return a dictionary with information about the site\'s configuration.\n\n:rtype: dictionary',
  help_show: 'Return the help string for a particular API action.\n\n:param name: action function name (e.g. `package_search`)\n:type name: string\n\n:rtype: string',
  package_list:
    'Return a list of the names of the site\'s datasets (packages).\n\n:param limit: the maximum number of datasets per page\n:type limit: int\n' +
    ':param offset: when limit is given, the offset to start returning packages from\n:type offset: int\n\n:rtype: list of strings',
  package_show:
    'Return the metadata of a dataset (package) and its resources.\n\n:param id: the id or name of the dataset (the dataset code; the resource code 资源代码 is accepted too)\n' +
    ':type id: string\n\n:rtype: dictionary',
  package_search:
    'Searches for packages satisfying the given search criteria.\n\n' +
    ':param q: the solr query. Plain words must each occur (name, summary, keywords, department, theme, field names). ' +
    'Field queries: title:, notes:, name:, id:, tags:, organization:, groups:, res_format:, license_id:, metadata_modified:, ' +
    'metadata_created:, with "quoted phrases", trailing * prefixes, [from TO to] date ranges, AND / OR / NOT, + / - and (groups). ' +
    'Optional. Default: "*:*"\n:type q: string\n' +
    ':param fq: any filter queries to apply, same syntax as q. Optional.\n:type fq: string\n' +
    ':param fq_list: several filter queries, each applied. Optional.\n:type fq_list: list of strings\n' +
    ':param sort: sorting of the search results: "field asc|desc" over score, metadata_modified, metadata_created, name, id, title; ' +
    'comma separated. Default: "score desc, metadata_modified desc"\n:type sort: string\n' +
    ':param rows: the maximum number of matching rows (datasets) to return (default 10, at most 1000)\n:type rows: int\n' +
    ':param start: the offset in the complete result for where the set of returned datasets should begin.\n:type start: int\n' +
    ':param facet.field: the fields to facet upon: organization, groups, tags, res_format, license_id\n:type facet.field: list of strings\n' +
    ':param facet.limit: the maximum number of values per facet (default 50; -1 for all)\n:type facet.limit: int\n\n' +
    ':rtype: dictionary with count, results, facets, search_facets, sort',
  organization_list:
    'Return a list of the names of the site\'s organizations (the providing departments).\n\n' +
    ':param sort: "name", "title" or "package_count", then asc or desc. Default "title asc"\n:type sort: string\n' +
    ':param limit: the maximum number of organizations returned\n:type limit: int\n:param offset: the first organization returned\n:type offset: int\n' +
    ':param all_fields: return group dictionaries instead of just names\n:type all_fields: bool\n\n:rtype: list of strings',
  organization_show:
    'Return the details of an organization.\n\n:param id: the id or name of the organization\n:type id: string\n' +
    ':param include_datasets: include the organization\'s datasets\n:type include_datasets: bool\n\n:rtype: dictionary',
  group_list:
    'Return a list of the names of the site\'s groups: the data themes (数据领域), each named theme-<hex of its UTF-8 bytes> and titled with the theme.\n\n' +
    ':param sort: "name", "title" or "package_count", then asc or desc. Default "title asc"\n:type sort: string\n' +
    ':param limit: the maximum number of groups returned\n:type limit: int\n:param offset: the first group returned\n:type offset: int\n' +
    ':param all_fields: return group dictionaries instead of just names\n:type all_fields: bool\n\n:rtype: list of strings',
  group_show:
    'Return the details of a group (a data theme).\n\n:param id: the id or name of the group (the theme\'s title is accepted too)\n:type id: string\n' +
    ':param include_datasets: include the group\'s datasets\n:type include_datasets: bool\n\n:rtype: dictionary',
  tag_list:
    'Return a list of the site\'s tags (the keywords of listed datasets).\n\n:param query: a tag name query to search for, if given only tags whose names contain this string are returned\n' +
    ':type query: string\n:param all_fields: return full tag dictionaries instead of just names\n:type all_fields: bool\n\n:rtype: list of strings',
} as const satisfies Record<string, string>;

export type CkanAction = keyof typeof CKAN_HELP;
export const CKAN_ACTIONS = Object.keys(CKAN_HELP) as CkanAction[];
