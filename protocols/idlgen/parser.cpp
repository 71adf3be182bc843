#include "parser.hpp"

#include "lexer.hpp"

namespace idlgen {

std::string QualifiedName::str() const {
    std::string result;
    for (const std::string& part : parts) {
        if (!result.empty()) result += "::";
        result += part;
    }
    return result;
}

namespace {

class Parser {
public:
    explicit Parser(std::vector<Token> tokens) : tokens_(std::move(tokens)) {}

    FileAst file(const std::string& path) {
        FileAst ast;
        ast.path = path;
        expect_keyword("namespace", "a file must begin with 'namespace NAME;'");
        ast.ns = qualified_name("namespace name");
        expect(TokenKind::Semicolon);
        while (is_keyword("use")) {
            next();
            ast.uses.push_back(qualified_name("namespace name"));
            expect(TokenKind::Semicolon);
        }
        while (peek().kind != TokenKind::End) {
            if (is_keyword("enum")) {
                ast.enums.push_back(enum_decl());
            } else if (is_keyword("error")) {
                ast.errors.push_back(error_decl());
            } else if (is_keyword("interface")) {
                ast.interfaces.push_back(interface_decl());
            } else if (is_keyword("use") || is_keyword("namespace")) {
                fail(peek().where, "'" + peek().text + "' must come before every declaration");
            } else {
                fail(peek().where, "expected 'enum', 'error' or 'interface', found " + describe(peek()));
            }
        }
        return ast;
    }

private:
    const Token& peek() const { return tokens_[position_]; }
    const Token& next() {
        const Token& token = tokens_[position_];
        if (token.kind != TokenKind::End) ++position_;
        return token;
    }
    bool is_keyword(const char* word) const { return peek().kind == TokenKind::Identifier && peek().text == word; }
    static std::string describe(const Token& token) {
        if (token.kind == TokenKind::Identifier) return "'" + token.text + "'";
        if (token.kind == TokenKind::Integer) return "integer '" + token.text + "'";
        return token_kind_name(token.kind);
    }
    const Token& expect(TokenKind kind) {
        if (peek().kind != kind) {
            fail(peek().where, std::string("expected ") + token_kind_name(kind) + ", found " + describe(peek()));
        }
        return next();
    }
    void expect_keyword(const char* word, const std::string& message) {
        if (!is_keyword(word)) fail(peek().where, message);
        next();
    }
    const Token& identifier(const char* what) {
        if (peek().kind != TokenKind::Identifier) {
            fail(peek().where, std::string("expected ") + what + ", found " + describe(peek()));
        }
        return next();
    }
    QualifiedName qualified_name(const char* what) {
        QualifiedName name;
        name.where = peek().where;
        name.parts.push_back(identifier(what).text);
        while (peek().kind == TokenKind::ColonColon) {
            next();
            name.parts.push_back(identifier(what).text);
        }
        return name;
    }

    EnumDecl enum_decl() {
        EnumDecl decl;
        decl.doc = next().doc; // 'enum'
        const Token& name = identifier("enum name");
        decl.name = name.text;
        decl.where = name.where;
        if (peek().kind == TokenKind::Colon) {
            next();
            decl.underlying = qualified_name("underlying type");
        }
        expect(TokenKind::LeftBrace);
        while (peek().kind != TokenKind::RightBrace) {
            Enumerator enumerator;
            enumerator.doc = peek().doc;
            const Token& member = identifier("enumerator name");
            enumerator.name = member.text;
            enumerator.where = member.where;
            if (peek().kind == TokenKind::Equals) {
                next();
                enumerator.has_value = true;
                if (peek().kind == TokenKind::Minus) {
                    next();
                    enumerator.negative = true;
                }
                enumerator.magnitude = expect(TokenKind::Integer).value;
            }
            decl.enumerators.push_back(std::move(enumerator));
            if (peek().kind != TokenKind::Comma) break;
            next();
        }
        expect(TokenKind::RightBrace);
        expect(TokenKind::Semicolon);
        return decl;
    }

    ErrorDecl error_decl() {
        ErrorDecl decl;
        decl.doc = next().doc; // 'error'
        const Token& name = identifier("error name");
        decl.name = name.text;
        decl.where = name.where;
        expect(TokenKind::Semicolon);
        return decl;
    }

    InterfaceDecl interface_decl() {
        InterfaceDecl decl;
        decl.doc = next().doc; // 'interface'
        const Token& name = identifier("interface name");
        decl.name = name.text;
        decl.where = name.where;
        if (peek().kind == TokenKind::ColonColon) {
            next();
            decl.base = qualified_name("base interface name");
        }
        expect(TokenKind::LeftBrace);
        while (peek().kind != TokenKind::RightBrace) {
            if (!is_keyword("call")) {
                fail(peek().where, "expected 'call' or '}', found " + describe(peek()));
            }
            decl.calls.push_back(call_decl());
        }
        expect(TokenKind::RightBrace);
        expect(TokenKind::Semicolon);
        return decl;
    }

    CallDecl call_decl() {
        CallDecl call;
        call.doc = next().doc; // 'call'
        const Token& name = identifier("call name");
        call.name = name.text;
        call.where = name.where;
        if (peek().kind == TokenKind::LeftBrace) {
            next();
            cap_list(call.caps_in);
            if (peek().kind == TokenKind::Semicolon) {
                next();
                cap_list(call.caps_out);
            }
            expect(TokenKind::RightBrace);
        }
        expect(TokenKind::LeftParen);
        while (peek().kind != TokenKind::RightParen) {
            Param param;
            const Token& param_name = identifier("parameter name");
            param.name = param_name.text;
            param.where = param_name.where;
            expect(TokenKind::Colon);
            param.type = qualified_name("parameter type");
            call.params.push_back(std::move(param));
            if (peek().kind != TokenKind::Comma) break;
            next();
            if (peek().kind == TokenKind::RightParen) fail(peek().where, "expected parameter after ','");
        }
        expect(TokenKind::RightParen);
        call.result_where = peek().where;
        if (is_keyword("void")) {
            next();
        } else {
            call.result = qualified_name("result type or 'void'");
        }
        if (peek().kind == TokenKind::Bang) {
            next();
            call.errors.push_back(qualified_name("error name"));
            while (peek().kind == TokenKind::Comma) {
                next();
                call.errors.push_back(qualified_name("error name"));
            }
        }
        expect(TokenKind::Semicolon);
        return call;
    }

    // Zero or more `name: type[...]` separated by ',' (inside '{' ... '}').
    void cap_list(std::vector<CapParam>& caps) {
        if (peek().kind != TokenKind::Identifier) return;
        for (;;) {
            CapParam cap;
            const Token& name = identifier("capability name");
            cap.name = name.text;
            cap.where = name.where;
            expect(TokenKind::Colon);
            cap.type = qualified_name("capability type");
            if (peek().kind == TokenKind::Ellipsis) {
                next();
                cap.variadic = true;
            }
            caps.push_back(std::move(cap));
            if (peek().kind != TokenKind::Comma) break;
            next();
        }
    }

    std::vector<Token> tokens_;
    size_t position_ = 0;
};

} // namespace

FileAst parse(const std::string& file, std::string_view source) { return Parser(tokenize(file, source)).file(file); }

} // namespace idlgen
