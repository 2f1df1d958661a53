package dev.debugport.kd.message;

/**
 * {@code DbgKdGetStringApi} ({@code 0x3231}), union {@code DBGKD_GET_STRING}: DbgPrompt. The target sends
 * the prompt as extra data and offers a buffer of LengthOfStringRead bytes; the host answers with a
 * DEBUG_IO packet of the same ApiNumber whose LengthOfStringRead is the actual length and whose extra
 * data is the typed string. The target copies min(received, offered) bytes.
 *
 * <pre>
 *  offset size  field
 *      0 u32   ApiNumber = 0x3231
 *      4 u16   ProcessorLevel
 *      6 u16   Processor
 *      8 u32   LengthOfPromptString
 *     12 u32   LengthOfStringRead
 *     16 ...   the prompt (target to host) or the answer (host to target)
 * </pre>
 *
 * @param lengthOfPromptString LengthOfPromptString
 * @param lengthOfStringRead LengthOfStringRead: the buffer size offered, or the answer's length
 */
public record GetString(int lengthOfPromptString, int lengthOfStringRead) implements DebugIoApi {

    @Override
    public int apiNumber() {
        return GET_STRING_API;
    }
}
