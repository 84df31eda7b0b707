using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using MessagePack;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace Portal.Benchmarks;

/// <summary>
/// Blazor Server's hub protocol from the client's side: "blazorpack" is SignalR's MessagePack protocol under another
/// name. Every invocation the server sends is bound loosely (each argument as <see cref="object"/>, however many there
/// are), because the number of arguments of <c>JS.BeginInvokeJS</c> grows between .NET releases and a client that
/// guessed it wrong would silently drop the calls the page waits on.
/// </summary>
internal sealed class BlazorPackProtocol : IHubProtocol
{
    private readonly MessagePackHubProtocol _inner = new();

    public string Name => "blazorpack";

    public int Version => _inner.Version;

    public TransferFormat TransferFormat => TransferFormat.Binary;

    public bool IsVersionSupported(int version) => _inner.IsVersionSupported(version);

    public bool TryParseMessage(ref ReadOnlySequence<byte> input, IInvocationBinder binder, [NotNullWhen(true)] out HubMessage? message) =>
        _inner.TryParseMessage(ref input, PeekInvocation(input) is { } shape ? new LooseBinder(binder, shape.Target, shape.Arguments) : binder, out message);

    public void WriteMessage(HubMessage message, IBufferWriter<byte> output) => _inner.WriteMessage(message, output);

    public ReadOnlyMemory<byte> GetMessageBytes(HubMessage message) => _inner.GetMessageBytes(message);

    /// <summary>The target and argument count of the next frame when it is a complete invocation: a varint length, then
    /// <c>[1, headers, invocationId, target, [arguments…]]</c>.</summary>
    private static (string Target, int Arguments)? PeekInvocation(ReadOnlySequence<byte> input)
    {
        var reader = new SequenceReader<byte>(input);
        long length = 0;
        var shift = 0;
        byte b;
        do
        {
            if (!reader.TryRead(out b) || shift > 28)
            {
                return null;
            }

            length |= (long)(b & 0x7f) << shift;
            shift += 7;
        }
        while ((b & 0x80) != 0);

        if (reader.Remaining < length)
        {
            return null;
        }

        var frame = new MessagePackReader(input.Slice(reader.Position, length));
        if (frame.ReadArrayHeader() < 5 || frame.ReadInt32() != HubProtocolConstants.InvocationMessageType)
        {
            return null;
        }

        frame.Skip();
        frame.Skip();
        var target = frame.ReadString();
        return target is null ? null : (target, frame.ReadArrayHeader());
    }

    private sealed class LooseBinder(IInvocationBinder inner, string target, int arguments) : IInvocationBinder
    {
        public IReadOnlyList<Type> GetParameterTypes(string methodName) =>
            methodName == target ? Enumerable.Repeat(typeof(object), arguments).ToArray() : inner.GetParameterTypes(methodName);

        public Type GetReturnType(string invocationId) => inner.GetReturnType(invocationId);

        public Type GetStreamItemType(string streamId) => inner.GetStreamItemType(streamId);
    }
}
