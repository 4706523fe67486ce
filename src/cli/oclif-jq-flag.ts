import {Flags} from '@oclif/core'
import {JQ_JSON_FLAG_DESCRIPTION} from './jq.js'

/** `--jq EXPR` on the oclif commands that print `--json` (status, login, providers list/show, introspect). */
export const jqFlag = Flags.string({description: JQ_JSON_FLAG_DESCRIPTION, helpValue: 'EXPR'})
