import {specCommand} from '../cli/spec-command.js'
import {run, spec} from '../cli/specs/kubectl-credential.js'

export default specCommand(spec, run)
