"""CPython's stock SimpleXMLRPCServer with the two methods of the load benchmark.

    python3 python_server.py PORT

Listens on 127.0.0.1 only, request log off, until killed. The stock server is kept as it
ships: one request at a time, HTTP/1.0, so it closes the connection after every response
(with HTTP/1.1 keep-alive it would serve one connection until that client hangs up and
starve every other one).
"""

import sys
from xmlrpc.server import SimpleXMLRPCServer


def add(a, b):
    return a + b


def echo(items):
    return items


def main():
    port = int(sys.argv[1])
    server = SimpleXMLRPCServer(("127.0.0.1", port), logRequests=False)
    server.register_function(add, "add")
    server.register_function(echo, "echo")
    server.serve_forever()


if __name__ == "__main__":
    main()
