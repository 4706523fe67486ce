import {specCommand} from '../cli/spec-command.js'
import {apiCommands} from '../cli/specs/api.js'

export default specCommand(apiCommands.post.spec, apiCommands.post.run)
