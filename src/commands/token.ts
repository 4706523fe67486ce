import {specCommand} from '../cli/spec-command.js'
import {run, spec} from '../cli/specs/token.js'

export default specCommand(spec, run)
