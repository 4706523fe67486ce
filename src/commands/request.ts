import {specCommand} from '../cli/spec-command.js'
import {apiCommands} from '../cli/specs/api.js'

export default specCommand(apiCommands.request.spec, apiCommands.request.run)
