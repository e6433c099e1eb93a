var e,t,n,r,i,a,o,s,c,l,u,d=Symbol.for(`pv`),f={},p=[],m=/^m(i|n|o|s|text|space)$/,h=Array.isArray,g=p.slice,_=Object.assign;function v(e){e&&e.parentNode&&e.remove()}function y(n,r,i,a,o){var s={type:n,props:r,key:i,ref:a,__k:null,__:null,__b:0,__e:null,__c:null,constructor:d,__v:o||++t,__i:-1,__u:0};return!o&&e.vnode&&e.vnode(s),s}function b(e){return e.children}function x(e,t){this.props=e,this.context=t,this.__g=0}function S(e,t){if(t==null)return e.__&&S(e.__,e.__i+1);for(var n;t<e.__k.length;t++)if((n=e.__k[t])&&n.__e)return n.__e;return typeof e.type!=`function`||e.props.__P?null:S(e)}function C(t){var n,r=t.__v,i=r.__e,a=[],o=[],s=t.__P;s&&((n=_({constructor:d},r)).__v=r.__v+1,e.vnode&&e.vnode(n),j(s,n,r,t.__n,s.namespaceURI,32&r.__u?[i]:null,a,i||S(r),32&r.__u,o),n.__v=r.__v,n.__.__k[n.__i]=n,ae(a,n,o),r.__=r.__e=null,n.__e!=i&&w(n))}function w(e){if((e=e.__)&&e.__c&&!e.props.__P)return e.__e=null,e.__k.some(function(t){return t&&(e.__e=t.__e)}),w(e)}function T(t){(8&t.__g||(t.__g|=8,n.push(t),i++))&&r==e.debounceRendering||((r=e.debounceRendering)||queueMicrotask)(E)}function E(){try{for(var e,t=1;n.length;)n.length>t&&n.sort(a),e=n.shift(),t=n.length,8&e.__g&&C(e)}finally{(i=n.length)&&(r||queueMicrotask)(E)}}function ee(e,t,n,r,i,a,o,s,c,l,u){var d,m,h,g,_,v,y=r.__k||p,b=t.length;for(c=D(n,t,y,c,b),d=0;d<b;d++)(h=n.__k[d])!=null&&(m=~h.__i&&y[h.__i]||f,h.__i=d,v=j(e,h,m,i,a,o,s,c,l,u),g=h.__e,(m.ref!=h.ref||8&m.__u)&&(m.ref&&M(m.ref,null,h,m),h.ref&&u.push(h.ref,h.__c||g,h)),_||=g,4&h.__u?(c=O(h,c,e,!m.__v),m.__e&&(m.__e=null)):typeof h.type==`function`&&v!==void 0?c=v:g&&(c=g.nextSibling),h.__u&=-21);return n.__e=_,c}function D(e,t,n,r,i){var a,o,s,c,l,u,f,p,m,g=n.length,_=g,v=0,x=0,C=e.__k=Array(i);for(a=0;a<i;a++)(o=t[a])!=null&&typeof o!=`boolean`&&typeof o!=`function`?(typeof o!=`object`||o.constructor===String?o=C[a]=y(null,o):h(o)?o=C[a]=y(b,{children:o}):o.constructor===d&&o.__b?o=C[a]=y(o.type,o.props,o.key,o.ref,o.__v):C[a]=o,c=a+v,o.__=e,o.__b=e.__b+1,s=null,~(l=o.__i=k(o,n,c,_))&&(_--,(s=n[l])&&(s.__u|=2)),s&&s.__v?(o.__u|=16,l==c-1?v--:l==c+1?v++:l!=c&&(l>c?v--:v++,x=1)):(~l||(i>g?v--:i<g&&v++),typeof o.type!=`function`&&(o.__u|=4))):C[a]=null;if(x){for(u=[],f=[],a=0;a<i;a++)if((o=C[a])&&16&o.__u){for(v=0,p=u.length;v<p;)u[m=v+p>>1]<o.__i?v=m+1:p=m;u[v]=o.__i,f[a]=v+1}for(v=u.length;a--;)f[a]&&(f[a]==v?v--:C[a].__u|=4)}if(_)for(a=0;a<g;a++)!(s=n[a])||2&s.__u||(s.__e==r&&(r=S(s)),se(s,s));return r}function O(e,t,n,r){var i,a,o,s;if(typeof e.type==`function`){if(e.props.__P)return t;if(i=e.__k)for(a=0;a<i.length;a++)i[a]&&(i[a].__=e,t=O(i[a],t,n,!1));return t}for(t&&!t.parentNode&&(t=S(e))&&!t.parentNode&&(t=null),o=e.__e,s=t;s&&s.nodeType==8;)s=s.nextSibling;for(o!=s&&(!r&&n.moveBefore&&o.parentNode?n.moveBefore(o,t):n.insertBefore(o,t||null)),t=o;(t&&=t.nextSibling)&&t.nodeType==8&&!t.data.startsWith(`$s`););return t}function k(e,t,n,r){var i,a=e.key,o=e.type,s=t[n],c=s&&!(2&s.__u);if(s===null&&a==null||c&&a==s.key&&o==s.type)return n;if(r>+!!c){for(i=n-1;i>=0;i--)if((s=t[i])&&!(2&s.__u)&&a==s.key&&o==s.type)return i;for(i=n+1;i<t.length;i++)if((s=t[i])&&!(2&s.__u)&&a==s.key&&o==s.type)return i}return-1}function te(e,t,n){n??=``,t[0]==`-`?e.setProperty(t,n):e[t]=n}function A(e,t,n,r,i){var a,o;if(t==`style`){if(typeof n==`string`)e.style.cssText=n;else{if(typeof r==`string`&&(e.style.cssText=r=``),r)for(t in r)n&&t in n||te(e.style,t);if(n)for(t in n)r&&n[t]==r[t]||te(e.style,t,n[t])}}else if(t[0]==`o`&&t[1]==`n`)typeof n!=`function`&&(n=null),typeof r!=`function`&&(r=null),(e.__e||={})[t]=n,n&&r||(o=l[t]||(l[t]=ne(t)),(e.__a||={})[t]=c,a=t!=(t=t.replace(s,`$1`)),(t=t.slice(2))[0]<`a`&&(t=t.toLowerCase()),n?e.addEventListener(t,o,a):e.removeEventListener(t,o,a));else{if(i==`http://www.w3.org/2000/svg`)t=t.replace(/xlink(H|:h)/,`h`).replace(/sName$/,`s`);else if(t!=`width`&&t!=`height`&&t!=`href`&&t!=`list`&&t!=`form`&&t!=`tabIndex`&&t!=`download`&&t!=`rowSpan`&&t!=`colSpan`&&t!=`role`&&t!=`popover`&&t in e)try{e[t]=n??``;return}catch{}if(typeof n==`function`)return;n==null||!1===n&&t[4]!=`-`?e.removeAttribute(t):e.setAttribute(t,t==`popover`&&n==1?``:n)}}function ne(t){return function(n){var r=this.__e;if(r){if(r=r[t],n[o]==null)n[o]=c++;else if(n[o]<this.__a[t])return;return r(e.event?e.event(n):n)}}}function j(t,n,r,i,a,o,s,c,l,u){var f,m,g,y,C,w,T,E,D,O,k,te,A,ne,j,ae,M,N,P=n.type;if(n.constructor!==d)return null;128&r.__u&&(l=32&r.__u,f=r.__c.__z)&&(n.__u|=l,m=o=[],f.nodeType==8?c=re(f,o):o.push(f),c=o[0]||c),(f=e.__b)&&f(n);e:if(typeof P==`function`){g=s.length;try{if(E=n.props,D=(f=P.prototype)&&f.render,O=(f=P.contextType)&&i[f.__c],k=f?O?O.props.value:f.__:i,(y=r.__c)?(n.__c=y,2&y.__g&&(y.__g|=1)):(D?n.__c=y=new P(E,k):(n.__c=y=new x(E,k),y.constructor=P,y.render=ce),O&&O.sub(y),y.state||(y.state={}),y.__n=i,y.__g|=8,y.__h=[],y.__k=[]),D&&(y.__s||(y.__s=y.state),P.getDerivedStateFromProps&&(y.__s==y.state&&(y.__s=_({},y.__s)),_(y.__s,P.getDerivedStateFromProps(E,y.__s)))),C=y.props,w=y.state,y.__v=n,r.__c){if(E!==C&&D&&!P.getDerivedStateFromProps&&y.componentWillReceiveProps&&y.componentWillReceiveProps(E,k),n.__v==r.__v&&!(8&y.__g)||!(4&y.__g)&&y.shouldComponentUpdate&&!1===y.shouldComponentUpdate(E,y.__s,k)){n.__v!=r.__v&&(y.props=E,y.state=y.__s,y.__g&=-9),n.__e=r.__e,n.__k=r.__k,n.__k.some(function(e){e&&(e.__=n)}),p.push.apply(y.__h,y.__k),y.__k=[],y.__h.length&&s.push(y),c=S(r);break e}y.componentWillUpdate&&y.componentWillUpdate(E,y.__s,k),D&&y.componentDidUpdate&&y.__h.push(function(){y.componentDidUpdate(C,w,T)})}else D&&!P.getDerivedStateFromProps&&y.componentWillMount&&y.componentWillMount(),D&&y.componentDidMount&&y.__h.push(y.componentDidMount);y.context=k,y.props=E,y.__P=t,y.__g&=-5,te=e.__r,A=D?25:0;do y.__g&=-9,te&&te(n),f=y.render(y.props,y.state=y.__s,y.context);while(8&y.__g&&++A<25);D&&(p.push.apply(y.__h,y.__k),y.__k=[]),y.state=y.__s,y.getChildContext&&(i=_({},i,y.getChildContext())),D&&r.__c&&y.getSnapshotBeforeUpdate&&(T=y.getSnapshotBeforeUpdate(C,w)),ne=f&&f.type===b&&f.key==null?f.props.children:f,E.__P&&(f=c,a=(t=E.__P).namespaceURI,l=o=null,r.props&&r.props.__P!=t&&(r.__k.some(function(e){e&&se(e,e)}),r.__k=null),c=r.__k?S(r,0):null),c=ee(t,h(ne)?ne:[ne],n,r,i,a,o,s,c,l,u),E.__P&&(n.__e=null,c=f),n.__u&=-161,m&&m.some(v),y.__h.length&&s.push(y),1&y.__g&&(y.__g&=-4)}catch(t){if(s.length=g,n.__v=null,l||o){if(t&&t.then){if(n.__u|=128|l,o){for(~(M=o.indexOf(c||void 0))||(M=o.length);(N=o[M-1])&&N.nodeType==8;)M--;for(;M<o.length;M++)if(N=o[M]){if(o[M]=null,j){if(N==ae)break}else{if(N.nodeType!=8)break;N.data.startsWith(`$s`)&&(ae=re(j=N))}}}if(!j){for(;c&&c.nodeType==8&&c.nextSibling;)c=c.nextSibling;j=c}(f=re(j=n.__c.__z||(n.__c.__z=j)))?(n.__e=j,c=f):n.__e=c,c&&=c.nextSibling}else o&&o.some(v)}else n.__e=r.__e;n.__k||=r.__k||[],t&&t.then||ie(n),e.__e(t,n,r)}}else c=n.__e=oe(r.__e,n,r,i,a,o,s,l,u,t);return(f=e.diffed)&&f(n),c}function re(e,t){if(e&&e.nodeType==8&&e.data.startsWith(`$s`))for(var n=1;e=e.nextSibling;){if(e.nodeType==8){if(e.data.startsWith(`$s`))n++;else if(e.data.startsWith(`/$s`)&&!--n)return e}t&&t.push(e)}}function ie(e){e&&(e.__c&&(e.__c.__g|=4),e.__k&&e.__k.some(ie))}function ae(t,n,r){for(var i=0;i<r.length;)M(r[i++],r[i++],r[i++]);e.__c&&e.__c(n,t),t.some(function(n){try{t=n.__h,n.__h=[],t.some(function(e){e.call(n)})}catch(t){e.__e(t,n.__v)}})}function oe(t,n,r,i,a,o,s,c,l,u){var d,p,_,y,b,x,C,w,T=r.props||f,E=n.props,D=n.type;if(D==`svg`?a=`http://www.w3.org/2000/svg`:D==`math`?a=`http://www.w3.org/1998/Math/MathML`:a||=`http://www.w3.org/1999/xhtml`,o){for(d=0;d<o.length;d++)if((b=o[d])&&(D?b.localName==D:b.nodeType==3)){t=b,o[d]=null;break}}if(!t){if(w=u.ownerDocument||document,!D)return w.createTextNode(E);t=w.createElementNS(a,D,E.is?E:u),c&&=(e.__m&&e.__m(n,o),!1),o=null}if(D){if(u=D==`template`&&t.content||t,o=D==`textarea`&&E.defaultValue!=null?null:o&&g.call(u.childNodes),!c&&o)for(T={},d=0;d<t.attributes.length;d++)T[(b=t.attributes[d]).name]=b.value;for(d in T)b=T[d],d==`dangerouslySetInnerHTML`?_=b:d==`children`||d in E||d==`value`&&`defaultValue`in E||d==`checked`&&`defaultChecked`in E||A(t,d,null,b,a);for(d in E)b=E[d],d==`children`?y=b:d==`dangerouslySetInnerHTML`?p=b:d==`value`?x=b:d==`checked`?C=b:c&&typeof b!=`function`||T[d]===b||A(t,d,b,T[d],a);p?(c||_&&(p.__html==_.__html||p.__html==t.innerHTML)||(t.innerHTML=p.__html),n.__k=[]):(_&&(t.textContent=``),(D==`foreignObject`||a==`http://www.w3.org/1998/Math/MathML`&&m.test(D))&&(a=`http://www.w3.org/1999/xhtml`),ee(u,h(y)?y:[y],n,r,i,a,o,s,o?o[0]:r.__k&&S(r,0),c,l),o&&o.some(v)),c&&D!=`textarea`||(d=`value`,D==`progress`&&x==null?t.removeAttribute(d):x==null||x===t[d]&&(D!=`progress`||x)||A(t,d,x,T[d],a),d=`checked`,C!=null&&C!=t[d]&&A(t,d,C,T[d],a))}else T===E||c&&t.data==E||(t.data=E);return t}function M(t,n,r,i){try{typeof t==`function`?n?n.__x=t(n)||1:(i&&=i.__c||i.__e)&&(n=i.__x)&&(i.__x=null,typeof n==`function`?n():t(null)):t.current=n}catch(t){e.__e(t,r)}}function se(t,n,r){var i,a,o,s;if(e.unmount&&e.unmount(t),!(i=t.ref)||i.current&&i.current!=t.__e||M(i,null,n,t),i=t.__c){if(i.componentWillUnmount)try{i.componentWillUnmount()}catch(t){e.__e(t,n)}i.__P=i.__n=null}if(i=t.__k)for(s=0;s<i.length;s++)i[s]&&se(i[s],n,typeof t.type!=`function`||r&&!t.props.__P);!r&&(i=t.__c)&&(i=i.__z)&&(a=re(i,o=[]))&&(i==t.__e&&o.some(v),v(a),v(i)),r||v(t.__e),t.__e=t.__c=t.__=null}function ce(e,t,n){return this.constructor(e,n)}function N(t,n){var r,i,a,o;e.__&&e.__(t,n),n.nodeType==9&&(n=n.documentElement),i=(r=t&&32&t.__u)?null:n.__k,n.__k=y(b,{children:[t]}),a=[],o=[],j(n,n.__k,i||f,f,n.namespaceURI,i?null:n.firstChild?g.call(n.childNodes):null,a,i?i.__e:n.firstChild,r,o),ae(a,n.__k,o),n.__k.props.children=null}function P(e){function t(e){var n,r;return this.getChildContext||(n=new Set,(r={})[t.__c]=this,this.getChildContext=function(){return r},this.shouldComponentUpdate=function(e){this.props.value!=e.value&&n.forEach(function(e){e.__g|=4,T(e)})},this.sub=function(e){n.add(e);var t=e.componentWillUnmount;e.componentWillUnmount=function(){n.delete(e),t&&t.call(e)}}),e.children}return t.__c=`__cC`+u++,t.__=e,t.Provider=(t.Consumer=function(e,t){return e.children(t)}).contextType=t,t}e={__e:function(e,t,n,r){for(var a,o,s;t=t.__;)if((a=t.__c)&&!(1&a.__g)){a.__g|=4;try{if((s=(o=a.constructor)&&o.getDerivedStateFromError)&&a.setState(o.getDerivedStateFromError(e)),a.componentDidCatch&&(a.componentDidCatch(e,r||{}),s=1),s&&8&a.__g)return void(a.__g|=2)}catch(t){e=t}}throw i=0,e}},t=0,x.prototype.setState=function(e,t){var n=this.__s;n&&n!=this.state||(n=this.__s=_({},this.state)),typeof e==`function`&&(e=e(_({},n),this.props)),e&&(_(n,e),this.__v&&(t&&this.__k.push(t),T(this)))},x.prototype.forceUpdate=function(e){this.__v&&(this.__g|=4,e&&this.__h.push(e),T(this))},x.prototype.render=b,n=[],i=0,a=function(e,t){return e.__v.__b-t.__v.__b},o=Symbol(),s=/(PointerCapture)$|Capture$/i,c=0,l={},u=0;var le,F,ue,de,fe=Object.is,pe=0,me=[],he=[],I=e,ge=I.__b,_e=I.__r,ve=I.diffed,ye=I.__c,be=I.unmount,xe=I.__;function Se(e,t){I.__h&&I.__h(F,e,pe||t),pe=0;var n=F.__H||(F.__H={__:[],__h:[]});return e>=n.__.length&&n.__.push({}),n.__[e]}function L(e){return pe=1,Ce(Me,e)}function Ce(e,t,n){var r=Se(le++,2);if(r.t=e,!r.__c&&(r.__=[n?n(t):Me(void 0,t),function(e){var t=(r.__N||r.__)[0],n=r.t(t,e);fe(t,n)||(r.__N=[n,r.__[1]],r.__c.setState({}))}],r.__c=F,!F.__f)){F.__f=!0;var i=F.shouldComponentUpdate;F.shouldComponentUpdate=function(e,t,n){var r=this.__H;if(!r)return!0;var a=!1,o=this.props!=e;if(r.__.some(function(e){e.__N&&(a=!0,fe(e.__[0],e.__N[0])||(o=!0))}),i){var s=i.call(this,e,t,n);return a?s||o:s}return!a||o}}return r.__}function R(e,t){var n=Se(le++,3);!I.__s&&je(n.__H,t)&&(n.__P=!0,n.__=e,n.u=t,F.__H.__h.push(n))}function we(e){var t=F.context[e.__c],n=Se(le++,9);return n.c=e,t?(n.__??(n.__=!0,t.sub(F)),t.props.value):e.__}function Te(){var e;do{for(;e=he.shift();)try{ke(e)}catch(t){I.__e(t,{__:(e=e.__P)&&e.__v})}for(;e=me.shift();){var t=e.__H;if(e.__P&&t)try{t.__h.some(ke),t.__h.some(Ae),t.__h=[]}catch(n){t.__h=[],I.__e(n,e.__v)}}}while(he.length)}I.__b=function(e){F=null,ge&&ge(e)},I.__=function(e,t){e&&t.__k&&t.__k.__m&&(e.__m=t.__k.__m),xe&&xe(e,t)},I.__r=function(e){_e&&_e(e),le=0;var t=(F=e.__c).__H;t&&(ue==F?F.__h=[]:(t.__h.some(ke),t.__h.some(Ae),le=0),t.__h=[],t.__.some(function(e){e.__N&&(e.__=e.__N),e.u=e.__N=void 0})),ue=F},I.diffed=function(e){ve&&ve(e);var t=e.__c;t&&t.__H&&(t.__H.__h.length&&Oe(me.push(t)),t.__H.__.some(function(e){e.u&&(e.__H=e.u)})),ue=F=null},I.__c=function(e,t){t.some(function(e){try{e.__h.some(ke),e.__h=e.__h.filter(function(e){return!e.__||Ae(e)})}catch(t){e.__h=[function(){throw t}]}}),ye&&ye(e,t)},I.unmount=function(e){be&&be(e);var t,n,r=e.__c;r&&r.__H&&(r.__H.__.some(function(r){try{if(r.__P&&r.__c){if(n===void 0){for(n=e.__;n&&(!n.__c||!n.__c.__P);)n=n.__;n&&=n.__c}r.__P=n,Oe(he.push(r))}else ke(r)}catch(e){t=e}}),r.__H=void 0,t&&I.__e(t,r.__v))};var Ee=typeof requestAnimationFrame==`function`;function De(e){var t,n=function(){clearTimeout(r),Ee&&cancelAnimationFrame(t),setTimeout(e)},r=setTimeout(n,35);Ee&&(t=requestAnimationFrame(n))}function Oe(e){e!=1&&de==I.requestAnimationFrame||((de=I.requestAnimationFrame)||De)(Te)}function ke(e){var t=F,n=e.__c;typeof n==`function`&&(e.__c=void 0,n()),F=t}function Ae(e){var t=F;e.__c=e.__(),F=t}function je(e,t){return!e||e.length!=t.length||t.some(function(t,n){return!fe(t,e[n])})}function Me(e,t){return typeof t==`function`?t(e):t}var Ne={UNAUTHENTICATED:`Please sign in again.`,FORBIDDEN:`Your role may not do this.`,NOT_FOUND:`Not found.`,VALIDATION_FAILED:`Please check what you entered.`,CONFLICT:`This conflicts with the current state.`,INVALID_CODE:`That code is not right.`,CODE_EXPIRED:`That code has expired: start again.`,TOO_MANY_ATTEMPTS:`Too many attempts.`,RATE_LIMITED:`Too many requests: wait a little.`,LOCKED:`This account is locked for now.`,KYC_REQUIRED:`Identity verification is needed first.`,MAINTENANCE:`Gatehouse is in maintenance.`,ACCESS_RESTRICTED:`Access from here is restricted.`,UNAVAILABLE:`Gatehouse is busy: try again shortly.`,INTERNAL:`Something went wrong on the server.`,NETWORK:`No connection to Gatehouse.`};function Pe(e,t,n={}){let r=Ne[e]??e,i=Object.entries(n).map(([e,t])=>`${e}: ${t}`),a=t&&t.charAt(0).toUpperCase()+t.slice(1),o=i.length>0?i.join(`; `):a;return o&&o!==r?`${r} ${o}`:r}var z=class extends String{__apiType;value;__meta__;constructor(e,t){super(e),this.value=e,this.__meta__=t}toString(){return this.value}},Fe={"\n  mutation SignIn($input: SignInInput!) {\n    signIn(input: $input) {\n      status\n      challenge { id channel destination }\n      auth { accessToken refreshToken accessTokenExpiresAt user { id name email phone role } }\n    }\n  }\n":new z(`
    mutation SignIn($input: SignInInput!) {
  signIn(input: $input) {
    status
    challenge {
      id
      channel
      destination
    }
    auth {
      accessToken
      refreshToken
      accessTokenExpiresAt
      user {
        id
        name
        email
        phone
        role
      }
    }
  }
}
    `),"\n  mutation SignInWithPin($input: SignInWithPinInput!) {\n    signInWithPin(input: $input) {\n      status\n      challenge { id channel destination }\n      auth { accessToken refreshToken accessTokenExpiresAt user { id name email phone role } }\n    }\n  }\n":new z(`
    mutation SignInWithPin($input: SignInWithPinInput!) {
  signInWithPin(input: $input) {
    status
    challenge {
      id
      channel
      destination
    }
    auth {
      accessToken
      refreshToken
      accessTokenExpiresAt
      user {
        id
        name
        email
        phone
        role
      }
    }
  }
}
    `),"\n  mutation VerifySignIn($input: VerifySignInInput!) {\n    verifySignIn(input: $input) { accessToken refreshToken accessTokenExpiresAt user { id name email phone role } }\n  }\n":new z(`
    mutation VerifySignIn($input: VerifySignInInput!) {
  verifySignIn(input: $input) {
    accessToken
    refreshToken
    accessTokenExpiresAt
    user {
      id
      name
      email
      phone
      role
    }
  }
}
    `),"\n  mutation VerifyDeviceSignIn($input: VerifyDeviceSignInInput!) {\n    verifyDeviceSignIn(input: $input) { accessToken refreshToken accessTokenExpiresAt user { id name email phone role } }\n  }\n":new z(`
    mutation VerifyDeviceSignIn($input: VerifyDeviceSignInInput!) {
  verifyDeviceSignIn(input: $input) {
    accessToken
    refreshToken
    accessTokenExpiresAt
    user {
      id
      name
      email
      phone
      role
    }
  }
}
    `),"\n  mutation Refresh($input: RefreshSessionInput!) {\n    refreshSession(input: $input) { accessToken refreshToken accessTokenExpiresAt user { id name email phone role } }\n  }\n":new z(`
    mutation Refresh($input: RefreshSessionInput!) {
  refreshSession(input: $input) {
    accessToken
    refreshToken
    accessTokenExpiresAt
    user {
      id
      name
      email
      phone
      role
    }
  }
}
    `),"\n  mutation SignOut { signOut }\n":new z(`
    mutation SignOut {
  signOut
}
    `),"\n  query Whoami { me { id name email phone role } myPermissions }\n":new z(`
    query Whoami {
  me {
    id
    name
    email
    phone
    role
  }
  myPermissions
}
    `),"\n  query Users($filter: UserFilter, $orderBy: UserOrder, $first: Int, $after: String, $kyc: Boolean!) {\n    users(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {\n      totalCount\n      totalCountExact\n      pageInfo { hasNextPage endCursor }\n      edges { cursor node { id name email phone role state level countryCode createdAt lastSignInAt kycStatus @include(if: $kyc) } }\n    }\n  }\n":new z(`
    query Users($filter: UserFilter, $orderBy: UserOrder, $first: Int, $after: String, $kyc: Boolean!) {
  users(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
    totalCount
    totalCountExact
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      cursor
      node {
        id
        name
        email
        phone
        role
        state
        level
        countryCode
        createdAt
        lastSignInAt
        kycStatus @include(if: $kyc)
      }
    }
  }
}
    `),"\n  query UserDetail(\n    $id: ID!\n    $profile: Boolean!\n    $kyc: Boolean!\n    $labels: Boolean!\n    $phones: Boolean!\n    $documents: Boolean!\n    $selfie: Boolean!\n    $devices: Boolean!\n    $accounts: Boolean!\n  ) {\n    user(id: $id) {\n      id name email phone pendingPhone role state level countryCode hasPin hasPassword totpEnabled\n      referralCode createdAt lastSignInAt\n      kycStatus @include(if: $kyc)\n      kycRejectionReason @include(if: $kyc)\n      profile @include(if: $profile) { firstName lastName dateOfBirth address postcode city country confirmed }\n      labels @include(if: $labels) { key value scope description updatedAt }\n      phones @include(if: $phones) { id number verified verifiedAt createdAt }\n      documents @include(if: $documents) {\n        id type number expiresOn createdAt\n        front { id contentType url }\n        back { id contentType url }\n      }\n      selfie @include(if: $selfie) { id createdAt image { id contentType url } }\n      devices @include(if: $devices) { id deviceId name trusted createdAt lastSeenAt }\n      accounts @include(if: $accounts) {\n        id email subAccountId active createdAt\n        portfolios { id name type address publicStrategy createdAt }\n      }\n    }\n  }\n":new z(`
    query UserDetail($id: ID!, $profile: Boolean!, $kyc: Boolean!, $labels: Boolean!, $phones: Boolean!, $documents: Boolean!, $selfie: Boolean!, $devices: Boolean!, $accounts: Boolean!) {
  user(id: $id) {
    id
    name
    email
    phone
    pendingPhone
    role
    state
    level
    countryCode
    hasPin
    hasPassword
    totpEnabled
    referralCode
    createdAt
    lastSignInAt
    kycStatus @include(if: $kyc)
    kycRejectionReason @include(if: $kyc)
    profile @include(if: $profile) {
      firstName
      lastName
      dateOfBirth
      address
      postcode
      city
      country
      confirmed
    }
    labels @include(if: $labels) {
      key
      value
      scope
      description
      updatedAt
    }
    phones @include(if: $phones) {
      id
      number
      verified
      verifiedAt
      createdAt
    }
    documents @include(if: $documents) {
      id
      type
      number
      expiresOn
      createdAt
      front {
        id
        contentType
        url
      }
      back {
        id
        contentType
        url
      }
    }
    selfie @include(if: $selfie) {
      id
      createdAt
      image {
        id
        contentType
        url
      }
    }
    devices @include(if: $devices) {
      id
      deviceId
      name
      trusted
      createdAt
      lastSeenAt
    }
    accounts @include(if: $accounts) {
      id
      email
      subAccountId
      active
      createdAt
      portfolios {
        id
        name
        type
        address
        publicStrategy
        createdAt
      }
    }
  }
}
    `),"\n  query UserSessions($id: ID!) {\n    user(id: $id) { id sessions { id createdAt lastUsedAt expiresAt mfa device { name deviceId } } }\n  }\n":new z(`
    query UserSessions($id: ID!) {
  user(id: $id) {
    id
    sessions {
      id
      createdAt
      lastUsedAt
      expiresAt
      mfa
      device {
        name
        deviceId
      }
    }
  }
}
    `),"\n  query UserActivity($id: ID!) {\n    user(id: $id) { id recentActivity(first: 20) { id topic action result reason ip createdAt } }\n  }\n":new z(`
    query UserActivity($id: ID!) {
  user(id: $id) {
    id
    recentActivity(first: 20) {
      id
      topic
      action
      result
      reason
      ip
      createdAt
    }
  }
}
    `),"\n  mutation SetUserState($input: SetUserStateInput!) { setUserState(input: $input) { id state } }\n":new z(`
    mutation SetUserState($input: SetUserStateInput!) {
  setUserState(input: $input) {
    id
    state
  }
}
    `),"\n  mutation SetUserRole($input: SetUserRoleInput!) { setUserRole(input: $input) { id role } }\n":new z(`
    mutation SetUserRole($input: SetUserRoleInput!) {
  setUserRole(input: $input) {
    id
    role
  }
}
    `),"\n  mutation SetUserLabel($input: SetUserLabelInput!) { setUserLabel(input: $input) { key value scope } }\n":new z(`
    mutation SetUserLabel($input: SetUserLabelInput!) {
  setUserLabel(input: $input) {
    key
    value
    scope
  }
}
    `),"\n  mutation RemoveUserLabel($input: RemoveUserLabelInput!) { removeUserLabel(input: $input) }\n":new z(`
    mutation RemoveUserLabel($input: RemoveUserLabelInput!) {
  removeUserLabel(input: $input)
}
    `),"\n  mutation ResetUserMfa($input: ResetUserMfaInput!) { resetUserMfa(input: $input) { id totpEnabled } }\n":new z(`
    mutation ResetUserMfa($input: ResetUserMfaInput!) {
  resetUserMfa(input: $input) {
    id
    totpEnabled
  }
}
    `),"\n  mutation RevokeUserSessions($input: RevokeUserSessionsInput!) { revokeUserSessions(input: $input) { revoked } }\n":new z(`
    mutation RevokeUserSessions($input: RevokeUserSessionsInput!) {
  revokeUserSessions(input: $input) {
    revoked
  }
}
    `),"\n  query KycQueue($filter: KycSubmissionFilter, $first: Int, $after: String) {\n    kycSubmissions(filter: $filter, first: $first, after: $after) {\n      pageInfo { hasNextPage endCursor }\n      edges {\n        node {\n          id status country submittedAt decidedAt reason\n          user { id name email phone }\n          profile { firstName lastName dateOfBirth country }\n          document { id type number expiresOn front { id contentType url } back { id contentType url } }\n          selfie { id image { id contentType url } }\n        }\n      }\n    }\n  }\n":new z(`
    query KycQueue($filter: KycSubmissionFilter, $first: Int, $after: String) {
  kycSubmissions(filter: $filter, first: $first, after: $after) {
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      node {
        id
        status
        country
        submittedAt
        decidedAt
        reason
        user {
          id
          name
          email
          phone
        }
        profile {
          firstName
          lastName
          dateOfBirth
          country
        }
        document {
          id
          type
          number
          expiresOn
          front {
            id
            contentType
            url
          }
          back {
            id
            contentType
            url
          }
        }
        selfie {
          id
          image {
            id
            contentType
            url
          }
        }
      }
    }
  }
}
    `),"\n  mutation ApproveKyc($input: DecideKycSubmissionInput!) { approveKycSubmission(input: $input) { id status } }\n":new z(`
    mutation ApproveKyc($input: DecideKycSubmissionInput!) {
  approveKycSubmission(input: $input) {
    id
    status
  }
}
    `),"\n  mutation RejectKyc($input: RejectKycSubmissionInput!) { rejectKycSubmission(input: $input) { id status reason } }\n":new z(`
    mutation RejectKyc($input: RejectKycSubmissionInput!) {
  rejectKycSubmission(input: $input) {
    id
    status
    reason
  }
}
    `),"\n  query PinResets($status: PinResetStatus, $first: Int, $after: String) {\n    pinResets(status: $status, first: $first, after: $after) {\n      pageInfo { hasNextPage endCursor }\n      edges {\n        node {\n          id status reason createdAt decidedAt documentUploaded\n          user { id name phone }\n          document { id type number front { id contentType url } }\n          selfie { id contentType url }\n        }\n      }\n    }\n  }\n":new z(`
    query PinResets($status: PinResetStatus, $first: Int, $after: String) {
  pinResets(status: $status, first: $first, after: $after) {
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      node {
        id
        status
        reason
        createdAt
        decidedAt
        documentUploaded
        user {
          id
          name
          phone
        }
        document {
          id
          type
          number
          front {
            id
            contentType
            url
          }
        }
        selfie {
          id
          contentType
          url
        }
      }
    }
  }
}
    `),"\n  mutation ApprovePinReset($input: DecidePinResetInput!) { approvePinReset(input: $input) { id status } }\n":new z(`
    mutation ApprovePinReset($input: DecidePinResetInput!) {
  approvePinReset(input: $input) {
    id
    status
  }
}
    `),"\n  mutation RejectPinReset($input: RejectPinResetInput!) { rejectPinReset(input: $input) { id status } }\n":new z(`
    mutation RejectPinReset($input: RejectPinResetInput!) {
  rejectPinReset(input: $input) {
    id
    status
  }
}
    `),"\n  query PermissionRows { permissions { id role operation action updatedAt } }\n":new z(`
    query PermissionRows {
  permissions {
    id
    role
    operation
    action
    updatedAt
  }
}
    `),"\n  mutation CreatePermission($input: CreatePermissionInput!) { createPermission(input: $input) { id } }\n":new z(`
    mutation CreatePermission($input: CreatePermissionInput!) {
  createPermission(input: $input) {
    id
  }
}
    `),"\n  mutation UpdatePermission($input: UpdatePermissionInput!) { updatePermission(input: $input) { id action } }\n":new z(`
    mutation UpdatePermission($input: UpdatePermissionInput!) {
  updatePermission(input: $input) {
    id
    action
  }
}
    `),"\n  mutation DeletePermission($input: DeletePermissionInput!) { deletePermission(input: $input) }\n":new z(`
    mutation DeletePermission($input: DeletePermissionInput!) {
  deletePermission(input: $input)
}
    `),"\n  query AdminActivities($filter: AdminActivityFilter, $first: Int, $after: String) {\n    adminActivities(filter: $filter, first: $first, after: $after) {\n      pageInfo { hasNextPage endCursor }\n      edges {\n        node { id action reason result error ip createdAt admin { id name email phone } targetUser { id name email phone } }\n      }\n    }\n  }\n":new z(`
    query AdminActivities($filter: AdminActivityFilter, $first: Int, $after: String) {
  adminActivities(filter: $filter, first: $first, after: $after) {
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      node {
        id
        action
        reason
        result
        error
        ip
        createdAt
        admin {
          id
          name
          email
          phone
        }
        targetUser {
          id
          name
          email
          phone
        }
      }
    }
  }
}
    `),"\n  query Metrics($from: Time!, $to: Time!, $interval: MetricInterval) {\n    adminMetrics(from: $from, to: $to, interval: $interval) {\n      from to interval\n      totals { signUps signInsSucceeded signInsFailed otpsSent kycPending kycApproved kycRejected activeUsers }\n      series { start signUps signInsSucceeded signInsFailed otpsSent kycPending kycApproved kycRejected activeUsers }\n    }\n  }\n":new z(`
    query Metrics($from: Time!, $to: Time!, $interval: MetricInterval) {
  adminMetrics(from: $from, to: $to, interval: $interval) {
    from
    to
    interval
    totals {
      signUps
      signInsSucceeded
      signInsFailed
      otpsSent
      kycPending
      kycApproved
      kycRejected
      activeUsers
    }
    series {
      start
      signUps
      signInsSucceeded
      signInsFailed
      otpsSent
      kycPending
      kycApproved
      kycRejected
      activeUsers
    }
  }
}
    `),"\n  query OperatorSettings {\n    operatorSettings {\n      maintenance { enabled message }\n      appVersions { platform minimumVersion currentVersion storeUrl storeAppId }\n      featureFlags { key enabled description }\n      rules { idleTimeSeconds otpLifetimeSeconds serverOtpLifetimeSeconds }\n      appContents\n      pushChannels\n      updatedAt\n    }\n    termsKinds { kind askUsers current { version title url publishedAt } }\n  }\n":new z(`
    query OperatorSettings {
  operatorSettings {
    maintenance {
      enabled
      message
    }
    appVersions {
      platform
      minimumVersion
      currentVersion
      storeUrl
      storeAppId
    }
    featureFlags {
      key
      enabled
      description
    }
    rules {
      idleTimeSeconds
      otpLifetimeSeconds
      serverOtpLifetimeSeconds
    }
    appContents
    pushChannels
    updatedAt
  }
  termsKinds {
    kind
    askUsers
    current {
      version
      title
      url
      publishedAt
    }
  }
}
    `),"\n  mutation SetMaintenance($input: SetMaintenanceInput!) { setMaintenance(input: $input) { maintenance { enabled } } }\n":new z(`
    mutation SetMaintenance($input: SetMaintenanceInput!) {
  setMaintenance(input: $input) {
    maintenance {
      enabled
    }
  }
}
    `),"\n  mutation SetAppVersion($input: SetAppVersionInput!) { setAppVersion(input: $input) { appVersion { platform } } }\n":new z(`
    mutation SetAppVersion($input: SetAppVersionInput!) {
  setAppVersion(input: $input) {
    appVersion {
      platform
    }
  }
}
    `),"\n  mutation SetFeatureFlag($input: SetFeatureFlagInput!) { setFeatureFlag(input: $input) { featureFlag { key enabled } } }\n":new z(`
    mutation SetFeatureFlag($input: SetFeatureFlagInput!) {
  setFeatureFlag(input: $input) {
    featureFlag {
      key
      enabled
    }
  }
}
    `),"\n  mutation RemoveFeatureFlag($input: RemoveFeatureFlagInput!) { removeFeatureFlag(input: $input) { removed } }\n":new z(`
    mutation RemoveFeatureFlag($input: RemoveFeatureFlagInput!) {
  removeFeatureFlag(input: $input) {
    removed
  }
}
    `),"\n  mutation SetClientRules($input: SetClientRulesInput!) { setClientRules(input: $input) { rules { idleTimeSeconds } } }\n":new z(`
    mutation SetClientRules($input: SetClientRulesInput!) {
  setClientRules(input: $input) {
    rules {
      idleTimeSeconds
    }
  }
}
    `),"\n  mutation SetAppContents($input: SetAppContentsInput!) { setAppContents(input: $input) { appContents } }\n":new z(`
    mutation SetAppContents($input: SetAppContentsInput!) {
  setAppContents(input: $input) {
    appContents
  }
}
    `),"\n  mutation SetPushChannels($input: SetPushChannelsInput!) { setPushChannels(input: $input) { pushChannels } }\n":new z(`
    mutation SetPushChannels($input: SetPushChannelsInput!) {
  setPushChannels(input: $input) {
    pushChannels
  }
}
    `),"\n  mutation PublishTerms($input: PublishTermsInput!) { publishTerms(input: $input) { document { kind version } } }\n":new z(`
    mutation PublishTerms($input: PublishTermsInput!) {
  publishTerms(input: $input) {
    document {
      kind
      version
    }
  }
}
    `),"\n  query LevelRules {\n    levels { level rules { key value description } }\n    levelJobs(first: 10) { id state action minLevel done total changed createdAt finishedAt }\n  }\n":new z(`
    query LevelRules {
  levels {
    level
    rules {
      key
      value
      description
    }
  }
  levelJobs(first: 10) {
    id
    state
    action
    minLevel
    done
    total
    changed
    createdAt
    finishedAt
  }
}
    `),"\n  mutation AddLevelRule($input: AddLevelRuleInput!) { addLevelRule(input: $input) { level job { id } } }\n":new z(`
    mutation AddLevelRule($input: AddLevelRuleInput!) {
  addLevelRule(input: $input) {
    level
    job {
      id
    }
  }
}
    `),"\n  mutation RemoveLevelRule($input: RemoveLevelRuleInput!) { removeLevelRule(input: $input) { removed } }\n":new z(`
    mutation RemoveLevelRule($input: RemoveLevelRuleInput!) {
  removeLevelRule(input: $input) {
    removed
  }
}
    `)};function B(e){return Fe[e]??{}}var Ie=B(`
  mutation SignIn($input: SignInInput!) {
    signIn(input: $input) {
      status
      challenge { id channel destination }
      auth { accessToken refreshToken accessTokenExpiresAt user { id name email phone role } }
    }
  }
`),Le=B(`
  mutation SignInWithPin($input: SignInWithPinInput!) {
    signInWithPin(input: $input) {
      status
      challenge { id channel destination }
      auth { accessToken refreshToken accessTokenExpiresAt user { id name email phone role } }
    }
  }
`),Re=B(`
  mutation VerifySignIn($input: VerifySignInInput!) {
    verifySignIn(input: $input) { accessToken refreshToken accessTokenExpiresAt user { id name email phone role } }
  }
`),ze=B(`
  mutation VerifyDeviceSignIn($input: VerifyDeviceSignInInput!) {
    verifyDeviceSignIn(input: $input) { accessToken refreshToken accessTokenExpiresAt user { id name email phone role } }
  }
`),Be=B(`
  mutation Refresh($input: RefreshSessionInput!) {
    refreshSession(input: $input) { accessToken refreshToken accessTokenExpiresAt user { id name email phone role } }
  }
`),Ve=B(`
  mutation SignOut { signOut }
`),He=B(`
  query Whoami { me { id name email phone role } myPermissions }
`),Ue=B(`
  query Users($filter: UserFilter, $orderBy: UserOrder, $first: Int, $after: String, $kyc: Boolean!) {
    users(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
      totalCount
      totalCountExact
      pageInfo { hasNextPage endCursor }
      edges { cursor node { id name email phone role state level countryCode createdAt lastSignInAt kycStatus @include(if: $kyc) } }
    }
  }
`),We=B(`
  query UserDetail(
    $id: ID!
    $profile: Boolean!
    $kyc: Boolean!
    $labels: Boolean!
    $phones: Boolean!
    $documents: Boolean!
    $selfie: Boolean!
    $devices: Boolean!
    $accounts: Boolean!
  ) {
    user(id: $id) {
      id name email phone pendingPhone role state level countryCode hasPin hasPassword totpEnabled
      referralCode createdAt lastSignInAt
      kycStatus @include(if: $kyc)
      kycRejectionReason @include(if: $kyc)
      profile @include(if: $profile) { firstName lastName dateOfBirth address postcode city country confirmed }
      labels @include(if: $labels) { key value scope description updatedAt }
      phones @include(if: $phones) { id number verified verifiedAt createdAt }
      documents @include(if: $documents) {
        id type number expiresOn createdAt
        front { id contentType url }
        back { id contentType url }
      }
      selfie @include(if: $selfie) { id createdAt image { id contentType url } }
      devices @include(if: $devices) { id deviceId name trusted createdAt lastSeenAt }
      accounts @include(if: $accounts) {
        id email subAccountId active createdAt
        portfolios { id name type address publicStrategy createdAt }
      }
    }
  }
`),Ge=B(`
  query UserSessions($id: ID!) {
    user(id: $id) { id sessions { id createdAt lastUsedAt expiresAt mfa device { name deviceId } } }
  }
`),Ke=B(`
  query UserActivity($id: ID!) {
    user(id: $id) { id recentActivity(first: 20) { id topic action result reason ip createdAt } }
  }
`),qe=B(`
  mutation SetUserState($input: SetUserStateInput!) { setUserState(input: $input) { id state } }
`),Je=B(`
  mutation SetUserRole($input: SetUserRoleInput!) { setUserRole(input: $input) { id role } }
`),Ye=B(`
  mutation SetUserLabel($input: SetUserLabelInput!) { setUserLabel(input: $input) { key value scope } }
`),Xe=B(`
  mutation RemoveUserLabel($input: RemoveUserLabelInput!) { removeUserLabel(input: $input) }
`),Ze=B(`
  mutation ResetUserMfa($input: ResetUserMfaInput!) { resetUserMfa(input: $input) { id totpEnabled } }
`),Qe=B(`
  mutation RevokeUserSessions($input: RevokeUserSessionsInput!) { revokeUserSessions(input: $input) { revoked } }
`),$e=B(`
  query KycQueue($filter: KycSubmissionFilter, $first: Int, $after: String) {
    kycSubmissions(filter: $filter, first: $first, after: $after) {
      pageInfo { hasNextPage endCursor }
      edges {
        node {
          id status country submittedAt decidedAt reason
          user { id name email phone }
          profile { firstName lastName dateOfBirth country }
          document { id type number expiresOn front { id contentType url } back { id contentType url } }
          selfie { id image { id contentType url } }
        }
      }
    }
  }
`),et=B(`
  mutation ApproveKyc($input: DecideKycSubmissionInput!) { approveKycSubmission(input: $input) { id status } }
`),tt=B(`
  mutation RejectKyc($input: RejectKycSubmissionInput!) { rejectKycSubmission(input: $input) { id status reason } }
`),nt=B(`
  query PinResets($status: PinResetStatus, $first: Int, $after: String) {
    pinResets(status: $status, first: $first, after: $after) {
      pageInfo { hasNextPage endCursor }
      edges {
        node {
          id status reason createdAt decidedAt documentUploaded
          user { id name phone }
          document { id type number front { id contentType url } }
          selfie { id contentType url }
        }
      }
    }
  }
`),rt=B(`
  mutation ApprovePinReset($input: DecidePinResetInput!) { approvePinReset(input: $input) { id status } }
`),it=B(`
  mutation RejectPinReset($input: RejectPinResetInput!) { rejectPinReset(input: $input) { id status } }
`),at=B(`
  query PermissionRows { permissions { id role operation action updatedAt } }
`),ot=B(`
  mutation CreatePermission($input: CreatePermissionInput!) { createPermission(input: $input) { id } }
`),st=B(`
  mutation UpdatePermission($input: UpdatePermissionInput!) { updatePermission(input: $input) { id action } }
`),ct=B(`
  mutation DeletePermission($input: DeletePermissionInput!) { deletePermission(input: $input) }
`),lt=B(`
  query AdminActivities($filter: AdminActivityFilter, $first: Int, $after: String) {
    adminActivities(filter: $filter, first: $first, after: $after) {
      pageInfo { hasNextPage endCursor }
      edges {
        node { id action reason result error ip createdAt admin { id name email phone } targetUser { id name email phone } }
      }
    }
  }
`),ut=B(`
  query Metrics($from: Time!, $to: Time!, $interval: MetricInterval) {
    adminMetrics(from: $from, to: $to, interval: $interval) {
      from to interval
      totals { signUps signInsSucceeded signInsFailed otpsSent kycPending kycApproved kycRejected activeUsers }
      series { start signUps signInsSucceeded signInsFailed otpsSent kycPending kycApproved kycRejected activeUsers }
    }
  }
`),dt=B(`
  query OperatorSettings {
    operatorSettings {
      maintenance { enabled message }
      appVersions { platform minimumVersion currentVersion storeUrl storeAppId }
      featureFlags { key enabled description }
      rules { idleTimeSeconds otpLifetimeSeconds serverOtpLifetimeSeconds }
      appContents
      pushChannels
      updatedAt
    }
    termsKinds { kind askUsers current { version title url publishedAt } }
  }
`),ft=B(`
  mutation SetMaintenance($input: SetMaintenanceInput!) { setMaintenance(input: $input) { maintenance { enabled } } }
`),pt=B(`
  mutation SetAppVersion($input: SetAppVersionInput!) { setAppVersion(input: $input) { appVersion { platform } } }
`),mt=B(`
  mutation SetFeatureFlag($input: SetFeatureFlagInput!) { setFeatureFlag(input: $input) { featureFlag { key enabled } } }
`),ht=B(`
  mutation RemoveFeatureFlag($input: RemoveFeatureFlagInput!) { removeFeatureFlag(input: $input) { removed } }
`),gt=B(`
  mutation SetClientRules($input: SetClientRulesInput!) { setClientRules(input: $input) { rules { idleTimeSeconds } } }
`),_t=B(`
  mutation SetAppContents($input: SetAppContentsInput!) { setAppContents(input: $input) { appContents } }
`),vt=B(`
  mutation SetPushChannels($input: SetPushChannelsInput!) { setPushChannels(input: $input) { pushChannels } }
`),yt=B(`
  mutation PublishTerms($input: PublishTermsInput!) { publishTerms(input: $input) { document { kind version } } }
`),bt=B(`
  query LevelRules {
    levels { level rules { key value description } }
    levelJobs(first: 10) { id state action minLevel done total changed createdAt finishedAt }
  }
`),xt=B(`
  mutation AddLevelRule($input: AddLevelRuleInput!) { addLevelRule(input: $input) { level job { id } } }
`),St=B(`
  mutation RemoveLevelRule($input: RemoveLevelRuleInput!) { removeLevelRule(input: $input) { removed } }
`),Ct=`gatehouse.console.refresh`,wt=`gatehouse.console.device`,V=class extends Error{code;fields;reason;constructor(e,t,n={},r=``){super(t),this.code=e,this.fields=n,this.reason=r}get text(){return Pe(this.code,this.message,this.fields)}},H=null,Tt=null,Et=()=>{};function Dt(){let e=localStorage.getItem(wt);return e||(e=`console-`+crypto.randomUUID(),localStorage.setItem(wt,e)),e}function Ot(e){Et=e}function kt(e){H={token:e.accessToken},sessionStorage.setItem(Ct,e.refreshToken)}function At(){H=null,sessionStorage.removeItem(Ct)}function jt(){return H!==null||sessionStorage.getItem(Ct)!==null}async function Mt(e,t,n){let r={"Content-Type":`application/json`};n&&(r.Authorization=`Bearer `+n);let i;try{i=await fetch(`/graphql`,{method:`POST`,headers:r,body:JSON.stringify({query:e,variables:t})})}catch{throw new V(`NETWORK`,`Gatehouse did not answer.`)}let a;try{a=await i.json()}catch{throw new V(`INTERNAL`,`Unexpected answer (HTTP ${i.status}).`)}if(a.errors&&a.errors.length>0){let e=a.errors[0],t=e.extensions??{};throw new V(String(t.code??`INTERNAL`),e.message,t.fields??{},String(t.reason??``))}return a.data}function Nt(){return Tt||=(async()=>{let e=sessionStorage.getItem(Ct);if(!e)return!1;try{return kt((await Mt(Be.toString(),{input:{refreshToken:e}},null)).refreshSession),!0}catch(e){return e instanceof V&&e.code!==`NETWORK`&&e.code!==`UNAVAILABLE`&&At(),!1}finally{Tt=null}})(),Tt}async function U(e,t){!H&&jt()&&await Nt();try{return await Mt(e.toString(),t??{},H?.token??null)}catch(n){if(n instanceof V&&n.code===`UNAUTHENTICATED`&&jt()){if(H=null,await Nt())return await Mt(e.toString(),t??{},H.token);At(),Et()}throw n}}async function Pt(){return sessionStorage.getItem(Ct)?Nt():!1}var Ft=`/console`;function It(e){history.pushState(null,``,Ft+e),dispatchEvent(new PopStateEvent(`popstate`))}function Lt(){let e=()=>({path:location.pathname.slice(8).replace(/\/+$/,``)||`/`,params:new URLSearchParams(location.search)}),[t,n]=L(e);return R(()=>{let t=()=>n(e());return addEventListener(`popstate`,t),()=>removeEventListener(`popstate`,t)},[]),t}function Rt(e){return{href:Ft+e,onClick:t=>{t.ctrlKey||t.metaKey||t.shiftKey||t.button!==0||(t.preventDefault(),It(e))}}}var zt=Symbol.for(`pv`),Bt=0;Array.isArray;function W(t,n,r,i,a,o){n||={};var s,c,l=n;if(`ref`in l&&typeof t!=`function`)for(c in l={},n)c==`ref`?s=n[c]:l[c]=n[c];var u={type:t,props:l,key:r,ref:s,__k:null,__:null,__b:0,__e:null,__c:null,constructor:zt,__v:--Bt,__i:-1,__u:0};return(a||o)&&(u.__source=a,u.__self=o),e.vnode&&e.vnode(u),u}var Vt=0;function Ht(e){let[t]=L(()=>`${e}-${++Vt}`);return t}function Ut(e){return e instanceof V?e.text:e instanceof Error?e.message:String(e)}function G({error:e}){return e?W(`p`,{class:`problem`,role:`alert`,"data-code":e instanceof V?e.code:`ERROR`,children:Ut(e)}):null}function K(e){let t=Ht(`f`);return W(`div`,{class:`field`,children:[W(`label`,{for:t,children:e.label}),W(`input`,{id:t,name:e.name,type:e.type??`text`,value:e.value,required:e.required,autoComplete:e.autoComplete,placeholder:e.placeholder,inputMode:e.inputMode,onInput:t=>e.onValue(t.currentTarget.value)})]})}function Wt(e){let t=Ht(`t`);return W(`div`,{class:`field wide`,children:[W(`label`,{for:t,children:e.label}),W(`textarea`,{id:t,rows:e.rows??6,value:e.value,required:e.required,onInput:t=>e.onValue(t.currentTarget.value)})]})}function Gt(e){let t=Ht(`c`);return W(`div`,{class:`check`,children:[W(`input`,{id:t,type:`checkbox`,checked:e.checked,onChange:t=>e.onChecked(t.currentTarget.checked)}),W(`label`,{for:t,children:e.label})]})}function q(e){let t=Ht(`s`);return W(`div`,{class:`field`,children:[W(`label`,{for:t,children:e.label}),W(`select`,{id:t,value:e.value,onChange:t=>e.onValue(t.currentTarget.value),children:[e.blank!==void 0&&W(`option`,{value:``,children:e.blank}),e.options.map(e=>W(`option`,{value:e,children:e},e))]})]})}function J(e){let[t,n]=L(!1),[r,i]=L(``),[a,o]=L(!1),[s,c]=L(null),[l,u]=L(!1);return t?W(`form`,{class:`reason`,onSubmit:async t=>{t.preventDefault(),o(!0),c(null);try{await e.run(r),n(!1),i(``),u(!0)}catch(e){c(e)}finally{o(!1)}},children:[e.children,W(K,{label:`Reason for "${e.label}"`,value:r,onValue:i,required:!0}),W(`button`,{type:`submit`,disabled:a,class:e.danger?`danger`:``,children:e.label}),W(`button`,{type:`button`,onClick:()=>n(!1),children:`Cancel`}),W(G,{error:s}),l&&W(`span`,{class:`ok`,children:`Done.`})]}):W(`button`,{type:`button`,class:e.danger?`danger`:``,disabled:e.disabled,title:e.title,onClick:()=>{n(!0),u(!1)},children:e.label})}function Y(e){return e?e.replace(`T`,` `).replace(/(:\d\d)(\.\d+)?Z$/,`$1 UTC`):`—`}function X(){return W(`p`,{"aria-live":`polite`,children:`Loading…`})}function Kt(e){return e?W(`a`,{...Rt(`/users/`+e.id),children:e.name||e.email||e.phone||e.id}):`—`}function qt(){let[e,t]=L({action:``,adminId:``,targetUserId:``,from:``,to:``}),[n,r]=L({}),[i,a]=L([null]),[o,s]=L(null),[c,l]=L(null),u=i.length-1,d=n=>r=>t({...e,[n]:r});return R(()=>{l(null),U(lt,{filter:n,first:50,after:i[u]}).then(e=>s(e.adminActivities)).catch(e=>{l(e),s(null)})},[n,i]),W(`section`,{children:[W(`h1`,{children:`Admin activities`}),W(`form`,{class:`filters`,onSubmit:t=>{t.preventDefault();let n={};e.action.trim()&&(n.action=e.action.trim()),e.adminId.trim()&&(n.adminId=e.adminId.trim()),e.targetUserId.trim()&&(n.targetUserId=e.targetUserId.trim()),e.from&&(n.from=new Date(e.from+`T00:00:00Z`).toISOString()),e.to&&(n.to=new Date(e.to+`T00:00:00Z`).toISOString()),r(n),a([null])},"aria-label":`Filter admin activities`,children:[W(K,{label:`Operation (e.g. setUserState)`,value:e.action,onValue:d(`action`)}),W(K,{label:`Staff member id`,value:e.adminId,onValue:d(`adminId`)}),W(K,{label:`Target user id`,value:e.targetUserId,onValue:d(`targetUserId`)}),W(K,{label:`From`,type:`date`,value:e.from,onValue:d(`from`)}),W(K,{label:`Before`,type:`date`,value:e.to,onValue:d(`to`)}),W(`div`,{class:`actions`,children:W(`button`,{type:`submit`,children:`Filter`})})]}),W(G,{error:c}),!o&&!c&&W(X,{}),o&&W(b,{children:[W(`table`,{children:[W(`thead`,{children:W(`tr`,{children:[W(`th`,{scope:`col`,children:`When`}),W(`th`,{scope:`col`,children:`Staff`}),W(`th`,{scope:`col`,children:`Operation`}),W(`th`,{scope:`col`,children:`User`}),W(`th`,{scope:`col`,children:`Reason`}),W(`th`,{scope:`col`,children:`Result`}),W(`th`,{scope:`col`,children:`IP`})]})}),W(`tbody`,{children:o.edges.map(({node:e})=>W(`tr`,{children:[W(`td`,{children:Y(e.createdAt)}),W(`td`,{children:Kt(e.admin)}),W(`td`,{children:W(`code`,{children:e.action})}),W(`td`,{children:Kt(e.targetUser)}),W(`td`,{children:e.reason}),W(`td`,{children:[e.result,e.error?` (${e.error})`:``]}),W(`td`,{children:e.ip})]},e.id))})]}),W(`nav`,{class:`pager`,"aria-label":`Pages`,children:[W(`button`,{type:`button`,disabled:u===0,onClick:()=>a(i.slice(0,-1)),children:`Previous page`}),W(`button`,{type:`button`,disabled:!o.pageInfo.hasNextPage,onClick:()=>a([...i,o.pageInfo.endCursor??null]),children:`Next page`})]})]})]})}var Jt=P(new Set);function Z(){let e=we(Jt);return t=>e.has(t)}var Yt=`Your role may not do this`;function Q({file:e,alt:t}){let[n,r]=L(!1);return e?e.url?n?W(`p`,{class:`problem`,role:`alert`,children:[t,`: the file could not be loaded (missing from storage, or its link expired: reload the page).`]}):e.contentType===`application/pdf`?W(`a`,{href:e.url,target:`_blank`,rel:`noopener`,children:[t,` (PDF)`]}):W(`a`,{href:e.url,target:`_blank`,rel:`noopener`,class:`kycfile`,children:W(`img`,{src:e.url,alt:t,onError:()=>r(!0)})}):W(`p`,{class:`muted`,children:[t,`: your role may not open KYC files.`]}):W(`p`,{class:`muted`,children:[`No `,t.toLowerCase(),`.`]})}function Xt({id:e}){let t=Z(),[n,r]=L(null),[i,a]=L(null),[o,s]=L(null),[c,l]=L(null),[u,d]=L(null),[f,p]=L(0),m=()=>p(f+1);if(R(()=>{a(null),U(We,{id:e,profile:t(`User.profile`),kyc:t(`User.kycStatus`),labels:t(`User.labels`),phones:t(`User.phones`),documents:t(`User.documents`),selfie:t(`User.selfie`),devices:t(`User.devices`),accounts:t(`User.accounts`)}).then(e=>e.user?r(e.user):a(Error(`No user has this id.`))).catch(a),t(`User.sessions`)&&U(Ge,{id:e}).then(e=>s(e.user)).catch(d),t(`User.recentActivity`)&&U(Ke,{id:e}).then(e=>l(e.user)).catch(d)},[e,f]),i)return W(G,{error:i});if(!n)return W(X,{});let h=n;return W(`section`,{class:`detail`,children:[W(`h1`,{children:h.name||(h.profile?`${h.profile.firstName} ${h.profile.lastName}`:h.email||h.phone||`(no name)`)}),W(`dl`,{class:`facts`,children:[W(`dt`,{children:`Id`}),W(`dd`,{children:h.id}),W(`dt`,{children:`Email`}),W(`dd`,{children:h.email??`—`}),W(`dt`,{children:`Phone`}),W(`dd`,{children:[h.phone??`—`,h.pendingPhone?` (unproven: ${h.pendingPhone})`:``]}),W(`dt`,{children:`Role`}),W(`dd`,{children:h.role}),W(`dt`,{children:`State`}),W(`dd`,{children:h.state}),W(`dt`,{children:`Level`}),W(`dd`,{children:h.level}),W(`dt`,{children:`Country`}),W(`dd`,{children:h.countryCode||`—`}),W(`dt`,{children:`Sign-in`}),W(`dd`,{children:[h.hasPin&&`PIN`,h.hasPassword&&`password`,h.totpEnabled&&`authenticator app`].filter(Boolean).join(`, `)||`—`}),W(`dt`,{children:`Created`}),W(`dd`,{children:Y(h.createdAt)}),W(`dt`,{children:`Last sign-in`}),W(`dd`,{children:Y(h.lastSignInAt)}),h.kycStatus&&W(b,{children:[W(`dt`,{children:`KYC`}),W(`dd`,{children:[h.kycStatus,h.kycRejectionReason?` — ${h.kycRejectionReason}`:``]})]})]}),W(G,{error:u}),W(Zt,{u:h,reload:m}),h.profile!==void 0&&W(b,{children:[W(`h2`,{children:`Profile`}),h.profile?W(`dl`,{class:`facts`,children:[W(`dt`,{children:`Name`}),W(`dd`,{children:[h.profile.firstName,` `,h.profile.lastName]}),W(`dt`,{children:`Born`}),W(`dd`,{children:h.profile.dateOfBirth}),W(`dt`,{children:`Address`}),W(`dd`,{children:[h.profile.address,`, `,h.profile.postcode,` `,h.profile.city,`, `,h.profile.country]}),W(`dt`,{children:`Confirmed`}),W(`dd`,{children:h.profile.confirmed?`yes`:`no`})]}):W(`p`,{class:`muted`,children:`No profile.`})]}),(h.documents!==void 0||h.selfie!==void 0)&&W(b,{children:[W(`h2`,{children:`KYC files`}),W(`div`,{class:`files`,children:[(h.documents??[]).map(e=>W(`figure`,{children:[W(`figcaption`,{children:[e.type,` `,e.number,` (expires `,e.expiresOn,`)`]}),W(Q,{file:e.front,alt:`${e.type} front`}),e.back&&W(Q,{file:e.back,alt:`${e.type} back`})]},e.id)),h.selfie!==void 0&&W(`figure`,{children:[W(`figcaption`,{children:`Selfie`}),W(Q,{file:h.selfie?.image,alt:`Selfie`})]})]})]}),h.labels!==void 0&&W(Qt,{u:h,reload:m}),h.phones!==void 0&&W(b,{children:[W(`h2`,{children:`Phones`}),W(`table`,{children:[W(`thead`,{children:W(`tr`,{children:[W(`th`,{scope:`col`,children:`Number`}),W(`th`,{scope:`col`,children:`Verified`}),W(`th`,{scope:`col`,children:`Added`})]})}),W(`tbody`,{children:h.phones.map(e=>W(`tr`,{children:[W(`td`,{children:e.number}),W(`td`,{children:e.verified?Y(e.verifiedAt):`no`}),W(`td`,{children:Y(e.createdAt)})]},e.id))})]})]}),h.devices!==void 0&&W(b,{children:[W(`h2`,{children:`Devices`}),W(`table`,{children:[W(`thead`,{children:W(`tr`,{children:[W(`th`,{scope:`col`,children:`Name`}),W(`th`,{scope:`col`,children:`Device id`}),W(`th`,{scope:`col`,children:`Trusted`}),W(`th`,{scope:`col`,children:`First seen`}),W(`th`,{scope:`col`,children:`Last seen`})]})}),W(`tbody`,{children:h.devices.map(e=>W(`tr`,{children:[W(`td`,{children:e.name}),W(`td`,{children:e.deviceId}),W(`td`,{children:e.trusted?`yes`:`no`}),W(`td`,{children:Y(e.createdAt)}),W(`td`,{children:Y(e.lastSeenAt)})]},e.id))})]})]}),o&&W(b,{children:[W(`h2`,{children:`Sessions`}),W(`table`,{children:[W(`thead`,{children:W(`tr`,{children:[W(`th`,{scope:`col`,children:`Device`}),W(`th`,{scope:`col`,children:`Opened`}),W(`th`,{scope:`col`,children:`Last used`}),W(`th`,{scope:`col`,children:`Ends`}),W(`th`,{scope:`col`,children:`Second factor`})]})}),W(`tbody`,{children:o.sessions.map(e=>W(`tr`,{children:[W(`td`,{children:e.device.name}),W(`td`,{children:Y(e.createdAt)}),W(`td`,{children:Y(e.lastUsedAt)}),W(`td`,{children:Y(e.expiresAt)}),W(`td`,{children:e.mfa?`yes`:`no`})]},e.id))})]})]}),c&&W(b,{children:[W(`h2`,{children:`Activity`}),W(`table`,{children:[W(`thead`,{children:W(`tr`,{children:[W(`th`,{scope:`col`,children:`When`}),W(`th`,{scope:`col`,children:`Topic`}),W(`th`,{scope:`col`,children:`Action`}),W(`th`,{scope:`col`,children:`Result`}),W(`th`,{scope:`col`,children:`IP`})]})}),W(`tbody`,{children:c.recentActivity.map(e=>W(`tr`,{children:[W(`td`,{children:Y(e.createdAt)}),W(`td`,{children:e.topic}),W(`td`,{children:e.action}),W(`td`,{children:[e.result,e.reason?` (${e.reason})`:``]}),W(`td`,{children:e.ip})]},e.id))})]})]}),h.accounts!==void 0&&W(b,{children:[W(`h2`,{children:`Accounts and portfolios`}),h.accounts.length===0&&W(`p`,{class:`muted`,children:`No accounts.`}),h.accounts.length>0&&W(`table`,{children:[W(`thead`,{children:W(`tr`,{children:[W(`th`,{scope:`col`,children:`Account`}),W(`th`,{scope:`col`,children:`Email`}),W(`th`,{scope:`col`,children:`Sub-account`}),W(`th`,{scope:`col`,children:`Active`}),W(`th`,{scope:`col`,children:`Opened`}),W(`th`,{scope:`col`,children:`Portfolios`})]})}),W(`tbody`,{children:h.accounts.map(e=>W(`tr`,{children:[W(`td`,{children:W(`code`,{children:e.id})}),W(`td`,{children:e.email||`—`}),W(`td`,{children:e.subAccountId||`—`}),W(`td`,{children:e.active?`yes`:`no`}),W(`td`,{children:Y(e.createdAt)}),W(`td`,{children:e.portfolios.length===0?`—`:W(`ul`,{children:e.portfolios.map(e=>W(`li`,{children:[e.name,` — `,e.type,e.publicStrategy?`, public strategy`:``,e.address?` (${e.address})`:``]},e.id))})})]},e.id))})]})]})]})}function Zt({u:e,reload:t}){let n=Z(),[r,i]=L(`LOCKED`),[a,o]=L(e.role),s=e=>n(e)?void 0:Yt;return W(`div`,{class:`staff-actions`,children:[W(`h2`,{children:`Staff actions`}),W(J,{label:`Change state`,disabled:!n(`setUserState`),title:s(`setUserState`),run:async n=>{await U(qe,{input:{userId:e.id,state:r,reason:n}}),t()},children:W(q,{label:`New state`,value:r,onValue:i,options:[`ACTIVE`,`LOCKED`,`BANNED`]})}),W(J,{label:`Change role`,disabled:!n(`setUserRole`),title:s(`setUserRole`),run:async n=>{await U(Je,{input:{userId:e.id,role:a,reason:n}}),t()},children:W(q,{label:`New role`,value:a,onValue:e=>o(e),options:[`MEMBER`,`SUPPORT`,`COMPLIANCE`,`ACCOUNTANT`,`ADMIN`,`SUPERADMIN`,`PARTNER`]})}),W(J,{label:`Reset second factor`,disabled:!n(`resetUserMfa`)||!e.totpEnabled,title:s(`resetUserMfa`)??(e.totpEnabled?void 0:`No authenticator app to reset`),run:async n=>{await U(Ze,{input:{userId:e.id,reason:n}}),t()}}),W(J,{label:`End all sessions`,danger:!0,disabled:!n(`revokeUserSessions`),title:s(`revokeUserSessions`),run:async n=>{await U(Qe,{input:{userId:e.id,reason:n}}),t()}})]})}function Qt({u:e,reload:t}){let n=Z(),[r,i]=L(``),[a,o]=L(``),[s,c]=L(`PRIVATE`);return W(b,{children:[W(`h2`,{children:`Labels`}),W(`table`,{children:[W(`thead`,{children:W(`tr`,{children:[W(`th`,{scope:`col`,children:`Key`}),W(`th`,{scope:`col`,children:`Value`}),W(`th`,{scope:`col`,children:`Scope`}),W(`th`,{scope:`col`,children:`Changed`}),W(`th`,{scope:`col`})]})}),W(`tbody`,{children:e.labels.map(r=>W(`tr`,{children:[W(`td`,{children:r.key}),W(`td`,{children:r.value}),W(`td`,{children:r.scope}),W(`td`,{children:Y(r.updatedAt)}),W(`td`,{children:n(`removeUserLabel`)&&W(J,{label:`Remove ${r.key}`,run:async n=>{await U(Xe,{input:{userId:e.id,key:r.key,reason:n}}),t()}})})]},r.key))})]}),n(`setUserLabel`)&&W(J,{label:`Set a label`,run:async n=>{await U(Ye,{input:{userId:e.id,key:r,value:a,scope:s,reason:n}}),i(``),o(``),t()},children:[W(K,{label:`Label key`,value:r,onValue:i,required:!0}),W(K,{label:`Label value`,value:a,onValue:o,required:!0}),W(q,{label:`Label scope`,value:s,onValue:c,options:[`PRIVATE`,`PUBLIC`]})]})]})}function $t(){let[e,t]=L(`PENDING`),[n,r]=L([null]),[i,a]=L(null),[o,s]=L(null),[c,l]=L(0),u=n.length-1;return R(()=>{s(null),U($e,{filter:{status:e},first:10,after:n[u]}).then(e=>a(e.kycSubmissions)).catch(e=>{s(e),a(null)})},[e,n,c]),W(`section`,{children:[W(`h1`,{children:`KYC review`}),W(`div`,{class:`filters`,children:W(q,{label:`Status`,value:e,onValue:e=>{t(e),r([null])},options:[`PENDING`,`APPROVED`,`REJECTED`]})}),W(G,{error:o}),!i&&!o&&W(X,{}),i&&i.edges.length===0&&W(`p`,{children:`No submissions here.`}),i?.edges.map(({node:e})=>W(en,{s:e,done:()=>l(c+1)},e.id)),i&&W(`nav`,{class:`pager`,"aria-label":`Pages`,children:[W(`button`,{type:`button`,disabled:u===0,onClick:()=>r(n.slice(0,-1)),children:`Previous page`}),W(`button`,{type:`button`,disabled:!i.pageInfo.hasNextPage,onClick:()=>r([...n,i.pageInfo.endCursor??null]),children:`Next page`})]})]})}function en({s:e,done:t}){let n=Z(),[r,i]=L(null),[a,o]=L(!1),s=async()=>{o(!0),i(null);try{await U(et,{input:{id:e.id}}),t()}catch(e){i(e)}finally{o(!1)}},c=e.profile?`${e.profile.firstName} ${e.profile.lastName}`:e.user.name||e.user.email||e.user.phone;return W(`article`,{class:`submission`,"aria-label":`Submission of ${c}`,children:[W(`header`,{children:[W(`h2`,{children:W(`a`,{...Rt(`/users/`+e.user.id),children:c})}),W(`p`,{children:[e.status,` · submitted `,Y(e.submittedAt),` · country `,e.country,e.decidedAt?` · decided ${Y(e.decidedAt)}`:``,e.reason?` · ${e.reason}`:``]}),e.profile&&W(`p`,{children:[`Born `,e.profile.dateOfBirth,` · `,e.profile.country]}),W(`p`,{children:[e.document.type,` `,e.document.number,`, expires `,e.document.expiresOn]})]}),W(`div`,{class:`side-by-side`,children:[W(`figure`,{children:[W(`figcaption`,{children:`Document (front)`}),W(Q,{file:e.document.front,alt:`Document front`})]}),e.document.back&&W(`figure`,{children:[W(`figcaption`,{children:`Document (back)`}),W(Q,{file:e.document.back,alt:`Document back`})]}),W(`figure`,{children:[W(`figcaption`,{children:`Selfie`}),W(Q,{file:e.selfie.image,alt:`Selfie`})]})]}),e.status===`PENDING`&&W(`div`,{class:`decide`,children:[W(`button`,{type:`button`,onClick:s,disabled:a||!n(`approveKycSubmission`),title:n(`approveKycSubmission`)?void 0:`Your role may not do this`,children:`Approve`}),W(J,{label:`Reject`,danger:!0,disabled:!n(`rejectKycSubmission`),title:n(`rejectKycSubmission`)?void 0:`Your role may not do this`,run:async n=>{await U(tt,{input:{id:e.id,reason:n}}),t()}}),W(G,{error:r})]})]})}function tn(){let e=Z(),[t,n]=L(null),[r,i]=L(null),[a,o]=L(0),[s,c]=L({level:`2`,key:``,value:``,description:``}),l=e=>t=>c({...s,[e]:t}),u=()=>o(a+1);R(()=>{U(bt).then(n).catch(i)},[a]);let d=t?.levelJobs.some(e=>e.state===`RUNNING`);return R(()=>{if(!d)return;let e=setTimeout(u,2e3);return()=>clearTimeout(e)},[d,t]),r?W(G,{error:r}):t?W(`section`,{children:[W(`h1`,{children:`Levels`}),W(`table`,{children:[W(`thead`,{children:W(`tr`,{children:[W(`th`,{scope:`col`,children:`Level`}),W(`th`,{scope:`col`,children:`Label key`}),W(`th`,{scope:`col`,children:`Value`}),W(`th`,{scope:`col`,children:`Description`}),W(`th`,{scope:`col`})]})}),W(`tbody`,{children:t.levels.flatMap(t=>t.rules.map(n=>W(`tr`,{children:[W(`td`,{children:t.level}),W(`td`,{children:W(`code`,{children:n.key})}),W(`td`,{children:n.value}),W(`td`,{children:n.description}),W(`td`,{children:e(`removeLevelRule`)&&W(J,{label:`Remove ${n.key} from level ${t.level}`,danger:!0,run:async e=>{await U(St,{input:{level:t.level,key:n.key,reason:e}}),u()}})})]},`${t.level}-${n.key}`)))})]}),e(`addLevelRule`)&&W(J,{label:`Add a level rule`,run:async e=>{await U(xt,{input:{level:Number(s.level),key:s.key.trim(),value:s.value.trim(),description:s.description,reason:e}}),u()},children:[W(K,{label:`Level`,type:`number`,value:s.level,onValue:l(`level`),required:!0}),W(K,{label:`Label key`,value:s.key,onValue:l(`key`),required:!0}),W(K,{label:`Label value`,value:s.value,onValue:l(`value`),required:!0}),W(K,{label:`Description`,value:s.description,onValue:l(`description`)})]}),W(`h2`,{children:`Recomputations`}),t.levelJobs.length===0&&W(`p`,{class:`muted`,children:`None yet.`}),t.levelJobs.length>0&&W(`table`,{children:[W(`thead`,{children:W(`tr`,{children:[W(`th`,{scope:`col`,children:`Started`}),W(`th`,{scope:`col`,children:`Change`}),W(`th`,{scope:`col`,children:`Progress`}),W(`th`,{scope:`col`,children:`Levels changed`}),W(`th`,{scope:`col`,children:`Finished`})]})}),W(`tbody`,{children:t.levelJobs.map(e=>W(`tr`,{children:[W(`td`,{children:Y(e.createdAt)}),W(`td`,{children:[e.action,` (from level `,e.minLevel,`)`]}),W(`td`,{children:[W(`progress`,{max:Math.max(e.total,1),value:e.done,"aria-label":`Job ${e.id} progress`}),` `,e.done,`/`,e.total,` `,e.state]}),W(`td`,{children:e.changed}),W(`td`,{children:Y(e.finishedAt)})]},e.id))})]})]}):W(X,{})}var nn={"Last 30 days":{days:30,interval:`DAY`},"Last 90 days":{days:90,interval:`DAY`},"Last 48 hours":{days:2,interval:`HOUR`},"Last 7 days, hourly":{days:7,interval:`HOUR`}},rn=[{title:`Sign-ups`,lines:[{key:`signUps`,label:`Accounts created`,color:`#2563eb`}]},{title:`Sign-ins`,lines:[{key:`signInsSucceeded`,label:`Succeeded`,color:`#16a34a`},{key:`signInsFailed`,label:`Refused`,color:`#dc2626`},{key:`activeUsers`,label:`Active users`,color:`#7c3aed`}]},{title:`One-time codes sent`,lines:[{key:`otpsSent`,label:`Codes sent`,color:`#ea580c`}]},{title:`KYC decisions`,lines:[{key:`kycPending`,label:`Submitted`,color:`#ca8a04`},{key:`kycApproved`,label:`Approved`,color:`#16a34a`},{key:`kycRejected`,label:`Rejected`,color:`#dc2626`}]}];function an(){let[e,t]=L(`Last 30 days`),[n,r]=L(null),[i,a]=L(null);return R(()=>{let t=nn[e],n=new Date,i=new Date(n.getTime()-t.days*864e5);a(null),U(ut,{from:i.toISOString(),to:n.toISOString(),interval:t.interval}).then(e=>r(e.adminMetrics)).catch(e=>{a(e),r(null)})},[e]),W(`section`,{children:[W(`h1`,{children:`Metrics`}),W(`div`,{class:`filters`,children:W(q,{label:`Range`,value:e,onValue:t,options:Object.keys(nn)})}),W(G,{error:i}),!n&&!i&&W(X,{}),n&&W(`div`,{class:`charts`,children:rn.map(e=>W(dn,{title:e.title,lines:e.lines,series:n.series,totals:n.totals,hourly:n.interval===`HOUR`},e.title))})]})}function on(e){return e%2==0?[0,e/2,e]:[0,e]}var sn=560,cn=180,ln=40,un=10;function dn(e){let t=Math.max(1,...e.series.flatMap(t=>e.lines.map(e=>t[e.key]))),n=e.series.length,r=e=>ln+(n<=1?0:e*510/(n-1)),i=e=>un+142*(1-e/t),a=t=>e.hourly?t.slice(5,13).replace(`T`,` `)+`h`:t.slice(0,10),o=e.lines.map(t=>`${t.label}: ${e.totals[t.key]}`).join(`, `);return W(`figure`,{class:`chart`,children:[W(`figcaption`,{children:[W(`strong`,{children:e.title}),W(`span`,{class:`legend`,children:e.lines.map(t=>W(`span`,{children:[W(`i`,{style:{background:t.color}}),` `,t.label,` (`,e.totals[t.key].toLocaleString(`en`),`)`]},t.key))})]}),W(`svg`,{viewBox:`0 0 ${sn} ${cn}`,role:`img`,"aria-label":`${e.title}: ${o}`,children:[W(`title`,{children:`${e.title}: ${o}`}),on(t).map(e=>W(`g`,{children:[W(`line`,{x1:ln,x2:550,y1:i(e),y2:i(e),class:`grid`}),W(`text`,{x:36,y:i(e)+4,"text-anchor":`end`,class:`axis`,children:e.toLocaleString(`en`)})]},e)),n>0&&W(b,{children:[W(`text`,{x:ln,y:172,class:`axis`,children:a(e.series[0].start)}),W(`text`,{x:550,y:172,"text-anchor":`end`,class:`axis`,children:a(e.series[n-1].start)})]}),e.lines.map(t=>W(`polyline`,{fill:`none`,stroke:t.color,"stroke-width":`2`,points:e.series.map((e,n)=>`${r(n).toFixed(1)},${i(e[t.key]).toFixed(1)}`).join(` `)},t.key))]})]})}var fn=[`ANONYMOUS`,`MEMBER`,`SUPPORT`,`COMPLIANCE`,`ACCOUNTANT`,`ADMIN`,`SUPERADMIN`,`PARTNER`],pn=[`ALLOW`,`DENY`,`AUDIT`];function mn(){let e=Z(),[t,n]=L(null),[r,i]=L(null),[a,o]=L(``),[s,c]=L(``),[l,u]=L(0),d=()=>u(l+1);R(()=>{U(at).then(e=>n(e.permissions)).catch(i)},[l]);let f=(t??[]).filter(e=>(!a||e.role===a)&&e.operation.toLowerCase().includes(s.toLowerCase()));return W(`section`,{children:[W(`h1`,{children:`Permissions`}),W(`p`,{class:`muted`,children:`A role may call an operation when one of its rows allows it; DENY wins over AUDIT, AUDIT over ALLOW.`}),W(`div`,{class:`filters`,children:[W(q,{label:`Role`,value:a,onValue:o,options:fn,blank:`Every role`}),W(K,{label:`Operation contains`,value:s,onValue:c})]}),e(`createPermission`)&&W(gn,{done:d}),W(G,{error:r}),!t&&!r&&W(X,{}),t&&W(`table`,{children:[W(`thead`,{children:W(`tr`,{children:[W(`th`,{scope:`col`,children:`Role`}),W(`th`,{scope:`col`,children:`Operation`}),W(`th`,{scope:`col`,children:`Action`}),W(`th`,{scope:`col`,children:`Changed`}),W(`th`,{scope:`col`,children:`Change`})]})}),W(`tbody`,{children:f.map(e=>W(hn,{r:e,done:d},e.id))})]})]})}function hn({r:e,done:t}){let n=Z(),[r,i]=L(e.action);return W(`tr`,{"data-rule":`${e.role} ${e.operation}`,children:[W(`td`,{children:e.role}),W(`td`,{children:W(`code`,{children:e.operation})}),W(`td`,{children:e.action}),W(`td`,{children:Y(e.updatedAt)}),W(`td`,{class:`row-actions`,children:[n(`updatePermission`)&&W(J,{label:`Edit ${e.role} ${e.operation}`,run:async n=>{await U(st,{input:{id:e.id,action:r,reason:n}}),t()},children:W(q,{label:`New action`,value:r,onValue:i,options:pn})}),n(`deletePermission`)&&W(J,{label:`Delete ${e.role} ${e.operation}`,danger:!0,run:async n=>{await U(ct,{input:{id:e.id,reason:n}}),t()}})]})]})}function gn({done:e}){let t=we(Jt),[n,r]=L(`SUPPORT`),[i,a]=L(``),[o,s]=L(`ALLOW`);return W(`div`,{class:`new-rule`,children:W(J,{label:`Add a rule`,run:async t=>{await U(ot,{input:{role:n,operation:i.trim(),action:o,reason:t}}),a(``),e()},children:[W(q,{label:`Rule role`,value:n,onValue:r,options:fn}),W(K,{label:`Rule operation (a field, Type.field, or a prefix ending in *)`,value:i,onValue:a,required:!0,placeholder:[...t][0]}),W(q,{label:`Rule action`,value:o,onValue:s,options:pn})]})})}var _n=[`PENDING_REVIEW`,`DOCUMENT_REQUIRED`,`SELFIE_REQUIRED`,`APPROVED`,`REJECTED`,`COMPLETED`];function vn(){let[e,t]=L(`PENDING_REVIEW`),[n,r]=L([null]),[i,a]=L(null),[o,s]=L(null),[c,l]=L(0),u=n.length-1;return R(()=>{s(null),U(nt,{status:e,first:10,after:n[u]}).then(e=>a(e.pinResets)).catch(e=>{s(e),a(null)})},[e,n,c]),W(`section`,{children:[W(`h1`,{children:`PIN resets`}),W(`div`,{class:`filters`,children:W(q,{label:`Status`,value:e,onValue:e=>{t(e),r([null])},options:_n})}),W(G,{error:o}),!i&&!o&&W(X,{}),i&&i.edges.length===0&&W(`p`,{children:`No PIN resets here.`}),i?.edges.map(({node:e})=>W(yn,{r:e,done:()=>l(c+1)},e.id)),i&&W(`nav`,{class:`pager`,"aria-label":`Pages`,children:[W(`button`,{type:`button`,disabled:u===0,onClick:()=>r(n.slice(0,-1)),children:`Previous page`}),W(`button`,{type:`button`,disabled:!i.pageInfo.hasNextPage,onClick:()=>r([...n,i.pageInfo.endCursor??null]),children:`Next page`})]})]})}function yn({r:e,done:t}){let n=Z(),[r,i]=L(null),a=async()=>{i(null);try{await U(rt,{input:{id:e.id}}),t()}catch(e){i(e)}};return W(`article`,{class:`submission`,"aria-label":`PIN reset of ${e.user.name||e.user.phone}`,children:[W(`header`,{children:[W(`h2`,{children:W(`a`,{...Rt(`/users/`+e.user.id),children:e.user.name||e.user.phone})}),W(`p`,{children:[e.status,` · asked `,Y(e.createdAt),e.decidedAt?` · decided ${Y(e.decidedAt)}`:``,e.reason?` · ${e.reason}`:``]}),e.documentUploaded&&W(`p`,{class:`warn`,children:`The document was uploaded during this reset, not approved in KYC: compare it with the user's profile.`})]}),W(`div`,{class:`side-by-side`,children:[W(`figure`,{children:[W(`figcaption`,{children:[`Document`,e.document?` (${e.document.type} ${e.document.number})`:``]}),W(Q,{file:e.document?.front,alt:`Document`})]}),W(`figure`,{children:[W(`figcaption`,{children:`Selfie`}),W(Q,{file:e.selfie,alt:`Selfie`})]})]}),e.status===`PENDING_REVIEW`&&W(`div`,{class:`decide`,children:[W(`button`,{type:`button`,onClick:a,disabled:!n(`approvePinReset`),title:n(`approvePinReset`)?void 0:`Your role may not do this`,children:`Approve`}),W(J,{label:`Reject`,danger:!0,disabled:!n(`rejectPinReset`),title:n(`rejectPinReset`)?void 0:`Your role may not do this`,run:async n=>{await U(it,{input:{id:e.id,reason:n}}),t()}}),W(G,{error:r})]})]})}function bn(){let[e,t]=L(null),[n,r]=L(null),[i,a]=L(0),o=()=>a(i+1);if(R(()=>{U(dt).then(t).catch(r)},[i]),n)return W(G,{error:n});if(!e)return W(X,{});let s=e.operatorSettings;return W(`section`,{class:`settings`,children:[W(`h1`,{children:`Settings`}),W(`p`,{class:`muted`,children:[`Last changed `,Y(s.updatedAt),`. Clients read these through appConfig.`]}),W(xn,{s,done:o}),W(Sn,{s,done:o}),W(Cn,{s,done:o}),W(wn,{s,done:o}),W(Tn,{s,done:o}),W(En,{s,done:o}),W(Dn,{kinds:e.termsKinds,done:o})]})}function xn({s:e,done:t}){let n=Z(),[r,i]=L(e.maintenance.message??``),a=e.maintenance.enabled;return W(b,{children:[W(`h2`,{children:`Maintenance`}),W(`p`,{children:a?`On: “${e.maintenance.message??``}”. Clients are refused with MAINTENANCE; signed-in staff pass.`:`Off.`}),W(J,{label:a?`End maintenance`:`Start maintenance`,danger:!a,disabled:!n(`setMaintenance`),title:n(`setMaintenance`)?void 0:Yt,run:async e=>{await U(ft,{input:{enabled:!a,message:r,reason:e}}),t()},children:!a&&W(K,{label:`Message to users`,value:r,onValue:i})})]})}function Sn({s:e,done:t}){let n=Z(),[r,i]=L({platform:`ANDROID`,minimumVersion:``,currentVersion:``,storeUrl:``,storeAppId:``}),a=e=>t=>i({...r,[e]:t});return W(b,{children:[W(`h2`,{children:`App versions`}),W(`table`,{children:[W(`thead`,{children:W(`tr`,{children:[W(`th`,{scope:`col`,children:`Platform`}),W(`th`,{scope:`col`,children:`Minimum`}),W(`th`,{scope:`col`,children:`Current`}),W(`th`,{scope:`col`,children:`Store URL`}),W(`th`,{scope:`col`,children:`Store app id`})]})}),W(`tbody`,{children:e.appVersions.map(e=>W(`tr`,{children:[W(`td`,{children:e.platform}),W(`td`,{children:e.minimumVersion}),W(`td`,{children:e.currentVersion}),W(`td`,{children:e.storeUrl||`—`}),W(`td`,{children:e.storeAppId||`—`})]},e.platform))})]}),n(`setAppVersion`)&&W(J,{label:`Set an app version`,run:async e=>{await U(pt,{input:{...r,platform:r.platform,reason:e}}),t()},children:[W(q,{label:`Platform`,value:r.platform,onValue:t=>{let n=e.appVersions.find(e=>e.platform===t);i(n?{...n}:{platform:t,minimumVersion:``,currentVersion:``,storeUrl:``,storeAppId:``})},options:[`ANDROID`,`IOS`,`WEB`]}),W(K,{label:`Minimum version`,value:r.minimumVersion,onValue:a(`minimumVersion`),required:!0}),W(K,{label:`Current version`,value:r.currentVersion,onValue:a(`currentVersion`),required:!0}),W(K,{label:`Store URL`,value:r.storeUrl,onValue:a(`storeUrl`)}),W(K,{label:`Store app id`,value:r.storeAppId,onValue:a(`storeAppId`)})]})]})}function Cn({s:e,done:t}){let n=Z(),[r,i]=L(``),[a,o]=L(``),[s,c]=L(!0);return W(b,{children:[W(`h2`,{children:`Feature flags`}),W(`table`,{children:[W(`thead`,{children:W(`tr`,{children:[W(`th`,{scope:`col`,children:`Flag`}),W(`th`,{scope:`col`,children:`On`}),W(`th`,{scope:`col`,children:`Description`}),W(`th`,{scope:`col`,children:`Change`})]})}),W(`tbody`,{children:e.featureFlags.map(e=>W(`tr`,{"data-flag":e.key,children:[W(`td`,{children:W(`code`,{children:e.key})}),W(`td`,{children:e.enabled?`on`:`off`}),W(`td`,{children:e.description}),W(`td`,{class:`row-actions`,children:[n(`setFeatureFlag`)&&W(J,{label:`Turn ${e.key} ${e.enabled?`off`:`on`}`,run:async n=>{await U(mt,{input:{key:e.key,enabled:!e.enabled,description:e.description,reason:n}}),t()}}),n(`removeFeatureFlag`)&&W(J,{label:`Remove ${e.key}`,danger:!0,run:async n=>{await U(ht,{input:{key:e.key,reason:n}}),t()}})]})]},e.key))})]}),n(`setFeatureFlag`)&&W(J,{label:`Add a flag`,run:async e=>{await U(mt,{input:{key:r.trim(),enabled:s,description:a,reason:e}}),i(``),o(``),t()},children:[W(K,{label:`Flag key`,value:r,onValue:i,required:!0}),W(K,{label:`Flag description`,value:a,onValue:o}),W(Gt,{label:`Flag on`,checked:s,onChecked:c})]})]})}function wn({s:e,done:t}){let n=Z(),[r,i]=L(String(e.rules.idleTimeSeconds)),[a,o]=L(e.rules.otpLifetimeSeconds==null?``:String(e.rules.otpLifetimeSeconds));return W(b,{children:[W(`h2`,{children:`Client rules`}),W(`p`,{children:[`Idle time `,e.rules.idleTimeSeconds,` s · code lifetime told to clients`,` `,e.rules.otpLifetimeSeconds==null?`the server's (${e.rules.serverOtpLifetimeSeconds} s)`:`${e.rules.otpLifetimeSeconds} s`]}),W(J,{label:`Change client rules`,disabled:!n(`setClientRules`),title:n(`setClientRules`)?void 0:Yt,run:async e=>{await U(gt,{input:{idleTimeSeconds:Number(r),otpLifetimeSeconds:a===``?null:Number(a),reason:e}}),t()},children:[W(K,{label:`Idle time (seconds)`,type:`number`,value:r,onValue:i,required:!0}),W(K,{label:`Code lifetime told to clients (seconds; empty: the server's)`,type:`number`,value:a,onValue:o})]})]})}function Tn({s:e,done:t}){let n=Z(),[r,i]=L(JSON.stringify(e.appContents,null,2)),[a,o]=L(null);return W(b,{children:[W(`h2`,{children:`App contents`}),W(`p`,{class:`muted`,children:`The clients' menu and home layout: a JSON object.`}),W(J,{label:`Change app contents`,disabled:!n(`setAppContents`),title:n(`setAppContents`)?void 0:Yt,run:async e=>{let n;try{n=JSON.parse(r)}catch(e){throw o(Error(`Not JSON: `+e.message)),Error(`Not JSON: fix the contents first.`)}o(null),await U(_t,{input:{contents:n,reason:e}}),t()},children:[W(Wt,{label:`Contents (JSON object)`,value:r,onValue:i,rows:10}),W(G,{error:a})]}),W(`pre`,{class:`json`,children:JSON.stringify(e.appContents,null,2)})]})}function En({s:e,done:t}){let n=Z(),[r,i]=L(e.pushChannels.join(`, `));return W(b,{children:[W(`h2`,{children:`Push channels`}),W(`p`,{children:e.pushChannels.length>0?e.pushChannels.join(`, `):`None.`}),W(J,{label:`Change push channels`,disabled:!n(`setPushChannels`),title:n(`setPushChannels`)?void 0:Yt,run:async e=>{await U(vt,{input:{channels:r.split(`,`).map(e=>e.trim()).filter(Boolean),reason:e}}),t()},children:W(K,{label:`Channels (comma-separated)`,value:r,onValue:i})})]})}function Dn({kinds:e,done:t}){let n=Z(),[r,i]=L({kind:`GENERAL`,version:``,title:``,url:``,body:``}),[a,o]=L(!0),s=e=>t=>i({...r,[e]:t});return W(b,{children:[W(`h2`,{children:`Terms`}),W(`table`,{children:[W(`thead`,{children:W(`tr`,{children:[W(`th`,{scope:`col`,children:`Kind`}),W(`th`,{scope:`col`,children:`Users asked`}),W(`th`,{scope:`col`,children:`Current version`}),W(`th`,{scope:`col`,children:`Title`}),W(`th`,{scope:`col`,children:`Published`})]})}),W(`tbody`,{children:e.map(e=>W(`tr`,{children:[W(`td`,{children:W(`code`,{children:e.kind})}),W(`td`,{children:e.askUsers?`yes`:`no`}),W(`td`,{children:e.current?.version??`—`}),W(`td`,{children:e.current?e.current.url?W(`a`,{href:e.current.url,rel:`noopener`,target:`_blank`,children:e.current.title}):e.current.title:`—`}),W(`td`,{children:Y(e.current?.publishedAt)})]},e.kind))})]}),n(`publishTerms`)&&W(J,{label:`Publish terms`,run:async e=>{await U(yt,{input:{...r,kind:r.kind.trim().toUpperCase(),askUsers:a,reason:e}}),t()},children:[W(K,{label:`Kind (e.g. GENERAL, PRIVACY, or a new one)`,value:r.kind,onValue:s(`kind`),required:!0}),W(K,{label:`Version`,value:r.version,onValue:s(`version`),required:!0}),W(K,{label:`Title`,value:r.title,onValue:s(`title`),required:!0}),W(K,{label:`Link to the full text`,value:r.url,onValue:s(`url`)}),W(Wt,{label:`Text`,value:r.body,onValue:s(`body`),required:!0}),W(Gt,{label:`Ask users to accept it`,checked:a,onChecked:o})]})]})}function On({onSignedIn:e}){let[t,n]=L({kind:`password`}),[r,i]=L(``),[a,o]=L(``),[s,c]=L(``),[l,u]=L(!1),[d,f]=L(null),p=t=>{kt(t),e(t)};return W(`main`,{class:`signin`,children:[W(`h1`,{children:`Gatehouse staff console`}),W(`form`,{onSubmit:async e=>{e.preventDefault(),u(!0),f(null);try{if(t.kind===`code`){let e={challengeId:t.challengeId,code:s.trim()};p(t.via===`pin`?(await U(ze,{input:e})).verifyDeviceSignIn:(await U(Re,{input:e})).verifySignIn);return}let e={deviceId:Dt(),deviceName:`Staff console`},i=t.kind===`pin`?(await U(Le,{input:{phone:r.trim(),pin:a,...e}})).signInWithPin:(await U(Ie,{input:{username:r.trim(),password:a,...e}})).signIn;if(i.status===`SIGNED_IN`&&i.auth)return p(i.auth);if(i.challenge){let e=i.challenge.channel===`TOTP`?`Enter the code your authenticator app shows.`:`Enter the code sent by ${i.challenge.channel.toLowerCase()} to ${i.challenge.destination}.`;o(``),c(``),n({kind:`code`,challengeId:i.challenge.id,via:t.kind,hint:e});return}f(Error(`This account cannot sign in here (it has no PIN yet): set one up in the app first.`))}catch(e){f(e)}finally{u(!1)}},"aria-label":`Sign in`,children:[t.kind===`code`?W(b,{children:[W(`p`,{children:t.hint}),W(K,{label:`Code`,name:`code`,value:s,onValue:c,autoComplete:`one-time-code`,inputMode:`numeric`,required:!0})]}):W(b,{children:[W(`div`,{class:`tabs`,role:`group`,"aria-label":`Sign in with`,children:[W(`button`,{type:`button`,"aria-pressed":t.kind===`password`,onClick:()=>n({kind:`password`}),children:`Password`}),W(`button`,{type:`button`,"aria-pressed":t.kind===`pin`,onClick:()=>n({kind:`pin`}),children:`Phone and PIN`})]}),W(K,{label:t.kind===`pin`?`Phone`:`Email or phone`,name:`username`,value:r,onValue:i,autoComplete:`username`,required:!0}),W(K,{label:t.kind===`pin`?`PIN`:`Password`,name:`secret`,type:`password`,value:a,onValue:o,autoComplete:`current-password`,inputMode:t.kind===`pin`?`numeric`:void 0,required:!0})]}),W(`button`,{type:`submit`,disabled:l,children:t.kind===`code`?`Verify`:`Sign in`}),t.kind===`code`&&W(`button`,{type:`button`,onClick:()=>n({kind:t.via}),children:`Start again`}),W(G,{error:d})]})]})}var kn=[`MEMBER`,`SUPPORT`,`COMPLIANCE`,`ACCOUNTANT`,`ADMIN`,`SUPERADMIN`,`PARTNER`],An=[`PENDING`,`ACTIVE`,`LOCKED`,`BANNED`,`DELETED`],jn=[`NONE`,`PENDING`,`APPROVED`,`REJECTED`],Mn=25,$={id:``,email:``,phone:``,name:``,role:``,state:``,levelMin:``,levelMax:``,country:``,kycStatus:``,labelKey:``,labelValue:``,createdFrom:``,createdTo:``,documentsPending:``,order:`CREATED_AT`,direction:`DESC`};function Nn(e){let t={};return e.id.trim()&&(t.id=e.id.trim()),e.email.trim()&&(t.email=e.email.trim()),e.phone.trim()&&(t.phone=e.phone.trim()),e.name.trim()&&(t.name=e.name.trim()),e.role&&(t.role=e.role),e.state&&(t.state=e.state),e.levelMin!==``&&(t.levelMin=Number(e.levelMin)),e.levelMax!==``&&(t.levelMax=Number(e.levelMax)),e.country.trim()&&(t.country=e.country.trim().toUpperCase()),e.kycStatus&&(t.kycStatus=e.kycStatus),e.labelKey.trim()&&(t.label={key:e.labelKey.trim(),value:e.labelValue.trim()||null}),e.createdFrom&&(t.createdFrom=new Date(e.createdFrom+`T00:00:00Z`).toISOString()),e.createdTo&&(t.createdTo=new Date(e.createdTo+`T00:00:00Z`).toISOString()),e.documentsPending&&(t.documentsPending=e.documentsPending===`yes`),t}function Pn(){let e=new URLSearchParams(location.search),t={...$};for(let n of Object.keys($)){let r=e.get(n);r!==null&&(t[n]=r)}return t}function Fn(e){let t=new URLSearchParams;for(let n of Object.keys($))e[n]!==$[n]&&t.set(n,e[n]);let n=t.toString();history.replaceState(null,``,location.pathname+(n?`?`+n:``))}function In(){let[e,t]=L(Pn),[n,r]=L(Pn),[i,a]=L([null]),[o,s]=L(null),[c,l]=L(null),[u,d]=L(!1),f=n=>r=>t({...e,[n]:r}),p=i.length-1,m=Z();return R(()=>{let e=!0;return d(!0),l(null),U(Ue,{filter:Nn(n),orderBy:{field:n.order,direction:n.direction},first:Mn,after:i[p],kyc:m(`User.kycStatus`)}).then(t=>e&&s(t.users)).catch(t=>e&&(l(t),s(null))).finally(()=>e&&d(!1)),()=>{e=!1}},[n,i]),W(`section`,{children:[W(`h1`,{children:`Users`}),W(`form`,{class:`filters`,onSubmit:t=>{t.preventDefault(),Fn(e),r(e),a([null])},"aria-label":`Filter users`,children:[W(K,{label:`Name`,value:e.name,onValue:f(`name`)}),W(K,{label:`Email starts with`,value:e.email,onValue:f(`email`)}),W(K,{label:`Phone starts with`,value:e.phone,onValue:f(`phone`)}),W(K,{label:`User id`,value:e.id,onValue:f(`id`)}),W(q,{label:`Role`,value:e.role,onValue:f(`role`),options:kn,blank:`Any`}),W(q,{label:`State`,value:e.state,onValue:f(`state`),options:An,blank:`Any`}),W(q,{label:`KYC status`,value:e.kycStatus,onValue:f(`kycStatus`),options:jn,blank:`Any`}),W(q,{label:`Documents pending`,value:e.documentsPending,onValue:f(`documentsPending`),options:[`yes`,`no`],blank:`Either`}),W(K,{label:`Level at least`,type:`number`,value:e.levelMin,onValue:f(`levelMin`)}),W(K,{label:`Level at most`,type:`number`,value:e.levelMax,onValue:f(`levelMax`)}),W(K,{label:`Country (ISO code)`,value:e.country,onValue:f(`country`)}),W(K,{label:`Label key`,value:e.labelKey,onValue:f(`labelKey`)}),W(K,{label:`Label value`,value:e.labelValue,onValue:f(`labelValue`)}),W(K,{label:`Created from`,type:`date`,value:e.createdFrom,onValue:f(`createdFrom`)}),W(K,{label:`Created before`,type:`date`,value:e.createdTo,onValue:f(`createdTo`)}),W(q,{label:`Order by`,value:e.order,onValue:f(`order`),options:[`CREATED_AT`,`LAST_SIGN_IN`,`NAME`]}),W(q,{label:`Direction`,value:e.direction,onValue:f(`direction`),options:[`DESC`,`ASC`]}),W(`div`,{class:`actions`,children:[W(`button`,{type:`submit`,children:`Search`}),W(`button`,{type:`button`,onClick:()=>{Fn($),t($),r($),a([null])},children:`Clear`})]})]}),W(G,{error:c}),u&&!o&&W(X,{}),o&&W(b,{children:[W(`p`,{class:`count`,children:[o.totalCount.toLocaleString(`en`),o.totalCountExact?``:`+`,` users match · page `,p+1]}),W(`table`,{children:[W(`thead`,{children:W(`tr`,{children:[W(`th`,{scope:`col`,children:`Name`}),W(`th`,{scope:`col`,children:`Email`}),W(`th`,{scope:`col`,children:`Phone`}),W(`th`,{scope:`col`,children:`Role`}),W(`th`,{scope:`col`,children:`State`}),W(`th`,{scope:`col`,children:`Level`}),W(`th`,{scope:`col`,children:`KYC`}),W(`th`,{scope:`col`,children:`Country`}),W(`th`,{scope:`col`,children:`Created`}),W(`th`,{scope:`col`,children:`Last sign-in`})]})}),W(`tbody`,{children:o.edges.map(({node:e})=>W(`tr`,{children:[W(`td`,{children:W(`a`,{...Rt(`/users/`+e.id),children:e.name||e.email||e.phone||`(no name)`})}),W(`td`,{children:e.email??`—`}),W(`td`,{children:e.phone??`—`}),W(`td`,{children:e.role}),W(`td`,{children:e.state}),W(`td`,{children:e.level}),W(`td`,{children:e.kycStatus??`—`}),W(`td`,{children:e.countryCode||`—`}),W(`td`,{children:Y(e.createdAt)}),W(`td`,{children:Y(e.lastSignInAt)})]},e.id))})]}),W(`nav`,{class:`pager`,"aria-label":`Pages`,children:[W(`button`,{type:`button`,disabled:p===0||u,onClick:()=>a(i.slice(0,-1)),children:`Previous page`}),W(`button`,{type:`button`,disabled:!o.pageInfo.hasNextPage||u,onClick:()=>a([...i,o.pageInfo.endCursor??null]),children:`Next page`})]})]})]})}var Ln=[{path:`/users`,title:`Users`,op:`users`},{path:`/kyc`,title:`KYC review`,op:`kycSubmissions`},{path:`/pin-resets`,title:`PIN resets`,op:`pinResets`},{path:`/permissions`,title:`Permissions`,op:`permissions`},{path:`/admin-activities`,title:`Admin activities`,op:`adminActivities`},{path:`/metrics`,title:`Metrics`,op:`adminMetrics`},{path:`/settings`,title:`Settings`,op:`operatorSettings`},{path:`/levels`,title:`Levels`,op:`levelJobs`}];function Rn(){let[e,t]=L(null),[n,r]=L(new Set),[i,a]=L(!1),[o,s]=L(jt()),[c,l]=L(null),u=Lt(),d=async()=>{try{let e=await U(He);t(e.me??null),r(new Set(e.myPermissions))}catch(e){l(e)}finally{a(!0)}};if(R(()=>{Ot(()=>{t(null),r(new Set),a(!1)}),jt()&&Pt().then(e=>e?d():void 0).finally(()=>s(!1))},[]),o)return W(X,{});if(!e)return W(b,{children:[W(On,{onSignedIn:e=>{l(null),a(!1),t(e.user),d()}}),W(G,{error:c})]});let f=Ln.filter(e=>n.has(e.op)),p=async()=>{try{await U(Ve)}catch{}At(),t(null),r(new Set),a(!1)},m,h=u.path.match(/^\/users\/([^/]+)$/);if(!i)m=W(X,{});else if(h&&n.has(`user`))m=W(Xt,{id:decodeURIComponent(h[1])});else{let t=f.find(e=>e.path===u.path);t?m={"/users":W(In,{}),"/kyc":W($t,{}),"/pin-resets":W(vn,{}),"/permissions":W(mn,{}),"/admin-activities":W(qt,{}),"/metrics":W(an,{}),"/settings":W(bn,{}),"/levels":W(tn,{})}[t.path]:f.length>0&&u.path===`/`?(queueMicrotask(()=>It(f[0].path)),m=W(X,{})):m=f.length===0?W(`p`,{children:[`Your role (`,e.role,`) has no console pages.`]}):W(`p`,{children:`Not a page, or not one your role may open.`})}return W(Jt.Provider,{value:n,children:[W(`a`,{class:`skip`,href:`#main`,children:`Skip to content`}),W(`header`,{class:`top`,children:[W(`strong`,{children:`Gatehouse`}),W(`nav`,{"aria-label":`Pages`,children:f.map(e=>W(`a`,{...Rt(e.path),"aria-current":u.path.startsWith(e.path)?`page`:void 0,children:e.title},e.path))}),W(`span`,{class:`me`,children:[e.name||e.email||e.phone,` · `,e.role]}),W(`button`,{type:`button`,onClick:p,children:`Sign out`})]}),W(`main`,{id:`main`,tabIndex:-1,children:[W(G,{error:c}),m]})]})}N(W(Rn,{}),document.getElementById(`app`));