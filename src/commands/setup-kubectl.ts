import {specCommand} from '../cli/spec-command.js'
import {run, spec} from '../cli/specs/setup-kubectl.js'

export default specCommand(spec, run)
