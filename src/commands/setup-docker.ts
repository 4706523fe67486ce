import {specCommand} from '../cli/spec-command.js'
import {run, spec} from '../cli/specs/setup-docker.js'

export default specCommand(spec, run)
