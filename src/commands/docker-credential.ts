import {specCommand} from '../cli/spec-command.js'
import {run, spec} from '../cli/specs/docker-credential.js'

export default specCommand(spec, run)
