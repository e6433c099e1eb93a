var e,t,n,r,i,a,o,s,c,l,u,d=Symbol.for(`pv`),f={},p=[],m=/^m(i|n|o|s|text|space)$/,h=Array.isArray,g=p.slice,_=Object.assign;function v(e){e&&e.parentNode&&e.remove()}function y(n,r,i,a,o){var s={type:n,props:r,key:i,ref:a,__k:null,__:null,__b:0,__e:null,__c:null,constructor:d,__v:o||++t,__i:-1,__u:0};return!o&&e.vnode&&e.vnode(s),s}function b(e){return e.children}function x(e,t){this.props=e,this.context=t,this.__g=0}function S(e,t){if(t==null)return e.__&&S(e.__,e.__i+1);for(var n;t<e.__k.length;t++)if((n=e.__k[t])&&n.__e)return n.__e;return typeof e.type!=`function`||e.props.__P?null:S(e)}function C(t){var n,r=t.__v,i=r.__e,a=[],o=[],s=t.__P;s&&((n=_({constructor:d},r)).__v=r.__v+1,e.vnode&&e.vnode(n),A(s,n,r,t.__n,s.namespaceURI,32&r.__u?[i]:null,a,i||S(r),32&r.__u,o),n.__v=r.__v,n.__.__k[n.__i]=n,oe(a,n,o),r.__=r.__e=null,n.__e!=i&&w(n))}function w(e){if((e=e.__)&&e.__c&&!e.props.__P)return e.__e=null,e.__k.some(function(t){return t&&(e.__e=t.__e)}),w(e)}function T(t){(8&t.__g||(t.__g|=8,n.push(t),i++))&&r==e.debounceRendering||((r=e.debounceRendering)||queueMicrotask)(E)}function E(){try{for(var e,t=1;n.length;)n.length>t&&n.sort(a),e=n.shift(),t=n.length,8&e.__g&&C(e)}finally{(i=n.length)&&(r||queueMicrotask)(E)}}function ee(e,t,n,r,i,a,o,s,c,l,u){var d,m,h,g,_,v,y=r.__k||p,b=t.length;for(c=D(n,t,y,c,b),d=0;d<b;d++)(h=n.__k[d])!=null&&(m=~h.__i&&y[h.__i]||f,h.__i=d,v=A(e,h,m,i,a,o,s,c,l,u),g=h.__e,(m.ref!=h.ref||8&m.__u)&&(m.ref&&j(m.ref,null,h,m),h.ref&&u.push(h.ref,h.__c||g,h)),_||=g,4&h.__u?(c=O(h,c,e,!m.__v),m.__e&&(m.__e=null)):typeof h.type==`function`&&v!==void 0?c=v:g&&(c=g.nextSibling),h.__u&=-21);return n.__e=_,c}function D(e,t,n,r,i){var a,o,s,c,l,u,f,p,m,g=n.length,_=g,v=0,x=0,C=e.__k=Array(i);for(a=0;a<i;a++)(o=t[a])!=null&&typeof o!=`boolean`&&typeof o!=`function`?(typeof o!=`object`||o.constructor===String?o=C[a]=y(null,o):h(o)?o=C[a]=y(b,{children:o}):o.constructor===d&&o.__b?o=C[a]=y(o.type,o.props,o.key,o.ref,o.__v):C[a]=o,c=a+v,o.__=e,o.__b=e.__b+1,s=null,~(l=o.__i=k(o,n,c,_))&&(_--,(s=n[l])&&(s.__u|=2)),s&&s.__v?(o.__u|=16,l==c-1?v--:l==c+1?v++:l!=c&&(l>c?v--:v++,x=1)):(~l||(i>g?v--:i<g&&v++),typeof o.type!=`function`&&(o.__u|=4))):C[a]=null;if(x){for(u=[],f=[],a=0;a<i;a++)if((o=C[a])&&16&o.__u){for(v=0,p=u.length;v<p;)u[m=v+p>>1]<o.__i?v=m+1:p=m;u[v]=o.__i,f[a]=v+1}for(v=u.length;a--;)f[a]&&(f[a]==v?v--:C[a].__u|=4)}if(_)for(a=0;a<g;a++)!(s=n[a])||2&s.__u||(s.__e==r&&(r=S(s)),ce(s,s));return r}function O(e,t,n,r){var i,a,o,s;if(typeof e.type==`function`){if(e.props.__P)return t;if(i=e.__k)for(a=0;a<i.length;a++)i[a]&&(i[a].__=e,t=O(i[a],t,n,!1));return t}for(t&&!t.parentNode&&(t=S(e))&&!t.parentNode&&(t=null),o=e.__e,s=t;s&&s.nodeType==8;)s=s.nextSibling;for(o!=s&&(!r&&n.moveBefore&&o.parentNode?n.moveBefore(o,t):n.insertBefore(o,t||null)),t=o;(t&&=t.nextSibling)&&t.nodeType==8&&!t.data.startsWith(`$s`););return t}function k(e,t,n,r){var i,a=e.key,o=e.type,s=t[n],c=s&&!(2&s.__u);if(s===null&&a==null||c&&a==s.key&&o==s.type)return n;if(r>+!!c){for(i=n-1;i>=0;i--)if((s=t[i])&&!(2&s.__u)&&a==s.key&&o==s.type)return i;for(i=n+1;i<t.length;i++)if((s=t[i])&&!(2&s.__u)&&a==s.key&&o==s.type)return i}return-1}function te(e,t,n){n??=``,t[0]==`-`?e.setProperty(t,n):e[t]=n}function ne(e,t,n,r,i){var a,o;if(t==`style`){if(typeof n==`string`)e.style.cssText=n;else{if(typeof r==`string`&&(e.style.cssText=r=``),r)for(t in r)n&&t in n||te(e.style,t);if(n)for(t in n)r&&n[t]==r[t]||te(e.style,t,n[t])}}else if(t[0]==`o`&&t[1]==`n`)typeof n!=`function`&&(n=null),typeof r!=`function`&&(r=null),(e.__e||={})[t]=n,n&&r||(o=l[t]||(l[t]=re(t)),(e.__a||={})[t]=c,a=t!=(t=t.replace(s,`$1`)),(t=t.slice(2))[0]<`a`&&(t=t.toLowerCase()),n?e.addEventListener(t,o,a):e.removeEventListener(t,o,a));else{if(i==`http://www.w3.org/2000/svg`)t=t.replace(/xlink(H|:h)/,`h`).replace(/sName$/,`s`);else if(t!=`width`&&t!=`height`&&t!=`href`&&t!=`list`&&t!=`form`&&t!=`tabIndex`&&t!=`download`&&t!=`rowSpan`&&t!=`colSpan`&&t!=`role`&&t!=`popover`&&t in e)try{e[t]=n??``;return}catch{}if(typeof n==`function`)return;n==null||!1===n&&t[4]!=`-`?e.removeAttribute(t):e.setAttribute(t,t==`popover`&&n==1?``:n)}}function re(t){return function(n){var r=this.__e;if(r){if(r=r[t],n[o]==null)n[o]=c++;else if(n[o]<this.__a[t])return;return r(e.event?e.event(n):n)}}}function A(t,n,r,i,a,o,s,c,l,u){var f,m,g,y,C,w,T,E,D,O,k,te,ne,re,A,oe,j,M,N=n.type;if(n.constructor!==d)return null;128&r.__u&&(l=32&r.__u,f=r.__c.__z)&&(n.__u|=l,m=o=[],f.nodeType==8?c=ie(f,o):o.push(f),c=o[0]||c),(f=e.__b)&&f(n);e:if(typeof N==`function`){g=s.length;try{if(E=n.props,D=(f=N.prototype)&&f.render,O=(f=N.contextType)&&i[f.__c],k=f?O?O.props.value:f.__:i,(y=r.__c)?(n.__c=y,2&y.__g&&(y.__g|=1)):(D?n.__c=y=new N(E,k):(n.__c=y=new x(E,k),y.constructor=N,y.render=le),O&&O.sub(y),y.state||(y.state={}),y.__n=i,y.__g|=8,y.__h=[],y.__k=[]),D&&(y.__s||(y.__s=y.state),N.getDerivedStateFromProps&&(y.__s==y.state&&(y.__s=_({},y.__s)),_(y.__s,N.getDerivedStateFromProps(E,y.__s)))),C=y.props,w=y.state,y.__v=n,r.__c){if(E!==C&&D&&!N.getDerivedStateFromProps&&y.componentWillReceiveProps&&y.componentWillReceiveProps(E,k),n.__v==r.__v&&!(8&y.__g)||!(4&y.__g)&&y.shouldComponentUpdate&&!1===y.shouldComponentUpdate(E,y.__s,k)){n.__v!=r.__v&&(y.props=E,y.state=y.__s,y.__g&=-9),n.__e=r.__e,n.__k=r.__k,n.__k.some(function(e){e&&(e.__=n)}),p.push.apply(y.__h,y.__k),y.__k=[],y.__h.length&&s.push(y),c=S(r);break e}y.componentWillUpdate&&y.componentWillUpdate(E,y.__s,k),D&&y.componentDidUpdate&&y.__h.push(function(){y.componentDidUpdate(C,w,T)})}else D&&!N.getDerivedStateFromProps&&y.componentWillMount&&y.componentWillMount(),D&&y.componentDidMount&&y.__h.push(y.componentDidMount);y.context=k,y.props=E,y.__P=t,y.__g&=-5,te=e.__r,ne=D?25:0;do y.__g&=-9,te&&te(n),f=y.render(y.props,y.state=y.__s,y.context);while(8&y.__g&&++ne<25);D&&(p.push.apply(y.__h,y.__k),y.__k=[]),y.state=y.__s,y.getChildContext&&(i=_({},i,y.getChildContext())),D&&r.__c&&y.getSnapshotBeforeUpdate&&(T=y.getSnapshotBeforeUpdate(C,w)),re=f&&f.type===b&&f.key==null?f.props.children:f,E.__P&&(f=c,a=(t=E.__P).namespaceURI,l=o=null,r.props&&r.props.__P!=t&&(r.__k.some(function(e){e&&ce(e,e)}),r.__k=null),c=r.__k?S(r,0):null),c=ee(t,h(re)?re:[re],n,r,i,a,o,s,c,l,u),E.__P&&(n.__e=null,c=f),n.__u&=-161,m&&m.some(v),y.__h.length&&s.push(y),1&y.__g&&(y.__g&=-4)}catch(t){if(s.length=g,n.__v=null,l||o){if(t&&t.then){if(n.__u|=128|l,o){for(~(j=o.indexOf(c||void 0))||(j=o.length);(M=o[j-1])&&M.nodeType==8;)j--;for(;j<o.length;j++)if(M=o[j]){if(o[j]=null,A){if(M==oe)break}else{if(M.nodeType!=8)break;M.data.startsWith(`$s`)&&(oe=ie(A=M))}}}if(!A){for(;c&&c.nodeType==8&&c.nextSibling;)c=c.nextSibling;A=c}(f=ie(A=n.__c.__z||(n.__c.__z=A)))?(n.__e=A,c=f):n.__e=c,c&&=c.nextSibling}else o&&o.some(v)}else n.__e=r.__e;n.__k||=r.__k||[],t&&t.then||ae(n),e.__e(t,n,r)}}else c=n.__e=se(r.__e,n,r,i,a,o,s,l,u,t);return(f=e.diffed)&&f(n),c}function ie(e,t){if(e&&e.nodeType==8&&e.data.startsWith(`$s`))for(var n=1;e=e.nextSibling;){if(e.nodeType==8){if(e.data.startsWith(`$s`))n++;else if(e.data.startsWith(`/$s`)&&!--n)return e}t&&t.push(e)}}function ae(e){e&&(e.__c&&(e.__c.__g|=4),e.__k&&e.__k.some(ae))}function oe(t,n,r){for(var i=0;i<r.length;)j(r[i++],r[i++],r[i++]);e.__c&&e.__c(n,t),t.some(function(n){try{t=n.__h,n.__h=[],t.some(function(e){e.call(n)})}catch(t){e.__e(t,n.__v)}})}function se(t,n,r,i,a,o,s,c,l,u){var d,p,_,y,b,x,C,w,T=r.props||f,E=n.props,D=n.type;if(D==`svg`?a=`http://www.w3.org/2000/svg`:D==`math`?a=`http://www.w3.org/1998/Math/MathML`:a||=`http://www.w3.org/1999/xhtml`,o){for(d=0;d<o.length;d++)if((b=o[d])&&(D?b.localName==D:b.nodeType==3)){t=b,o[d]=null;break}}if(!t){if(w=u.ownerDocument||document,!D)return w.createTextNode(E);t=w.createElementNS(a,D,E.is?E:u),c&&=(e.__m&&e.__m(n,o),!1),o=null}if(D){if(u=D==`template`&&t.content||t,o=D==`textarea`&&E.defaultValue!=null?null:o&&g.call(u.childNodes),!c&&o)for(T={},d=0;d<t.attributes.length;d++)T[(b=t.attributes[d]).name]=b.value;for(d in T)b=T[d],d==`dangerouslySetInnerHTML`?_=b:d==`children`||d in E||d==`value`&&`defaultValue`in E||d==`checked`&&`defaultChecked`in E||ne(t,d,null,b,a);for(d in E)b=E[d],d==`children`?y=b:d==`dangerouslySetInnerHTML`?p=b:d==`value`?x=b:d==`checked`?C=b:c&&typeof b!=`function`||T[d]===b||ne(t,d,b,T[d],a);p?(c||_&&(p.__html==_.__html||p.__html==t.innerHTML)||(t.innerHTML=p.__html),n.__k=[]):(_&&(t.textContent=``),(D==`foreignObject`||a==`http://www.w3.org/1998/Math/MathML`&&m.test(D))&&(a=`http://www.w3.org/1999/xhtml`),ee(u,h(y)?y:[y],n,r,i,a,o,s,o?o[0]:r.__k&&S(r,0),c,l),o&&o.some(v)),c&&D!=`textarea`||(d=`value`,D==`progress`&&x==null?t.removeAttribute(d):x==null||x===t[d]&&(D!=`progress`||x)||ne(t,d,x,T[d],a),d=`checked`,C!=null&&C!=t[d]&&ne(t,d,C,T[d],a))}else T===E||c&&t.data==E||(t.data=E);return t}function j(t,n,r,i){try{typeof t==`function`?n?n.__x=t(n)||1:(i&&=i.__c||i.__e)&&(n=i.__x)&&(i.__x=null,typeof n==`function`?n():t(null)):t.current=n}catch(t){e.__e(t,r)}}function ce(t,n,r){var i,a,o,s;if(e.unmount&&e.unmount(t),!(i=t.ref)||i.current&&i.current!=t.__e||j(i,null,n,t),i=t.__c){if(i.componentWillUnmount)try{i.componentWillUnmount()}catch(t){e.__e(t,n)}i.__P=i.__n=null}if(i=t.__k)for(s=0;s<i.length;s++)i[s]&&ce(i[s],n,typeof t.type!=`function`||r&&!t.props.__P);!r&&(i=t.__c)&&(i=i.__z)&&(a=ie(i,o=[]))&&(i==t.__e&&o.some(v),v(a),v(i)),r||v(t.__e),t.__e=t.__c=t.__=null}function le(e,t,n){return this.constructor(e,n)}function M(t,n){var r,i,a,o;e.__&&e.__(t,n),n.nodeType==9&&(n=n.documentElement),i=(r=t&&32&t.__u)?null:n.__k,n.__k=y(b,{children:[t]}),a=[],o=[],A(n,n.__k,i||f,f,n.namespaceURI,i?null:n.firstChild?g.call(n.childNodes):null,a,i?i.__e:n.firstChild,r,o),oe(a,n.__k,o),n.__k.props.children=null}function N(e){function t(e){var n,r;return this.getChildContext||(n=new Set,(r={})[t.__c]=this,this.getChildContext=function(){return r},this.shouldComponentUpdate=function(e){this.props.value!=e.value&&n.forEach(function(e){e.__g|=4,T(e)})},this.sub=function(e){n.add(e);var t=e.componentWillUnmount;e.componentWillUnmount=function(){n.delete(e),t&&t.call(e)}}),e.children}return t.__c=`__cC`+u++,t.__=e,t.Provider=(t.Consumer=function(e,t){return e.children(t)}).contextType=t,t}e={__e:function(e,t,n,r){for(var a,o,s;t=t.__;)if((a=t.__c)&&!(1&a.__g)){a.__g|=4;try{if((s=(o=a.constructor)&&o.getDerivedStateFromError)&&a.setState(o.getDerivedStateFromError(e)),a.componentDidCatch&&(a.componentDidCatch(e,r||{}),s=1),s&&8&a.__g)return void(a.__g|=2)}catch(t){e=t}}throw i=0,e}},t=0,x.prototype.setState=function(e,t){var n=this.__s;n&&n!=this.state||(n=this.__s=_({},this.state)),typeof e==`function`&&(e=e(_({},n),this.props)),e&&(_(n,e),this.__v&&(t&&this.__k.push(t),T(this)))},x.prototype.forceUpdate=function(e){this.__v&&(this.__g|=4,e&&this.__h.push(e),T(this))},x.prototype.render=b,n=[],i=0,a=function(e,t){return e.__v.__b-t.__v.__b},o=Symbol(),s=/(PointerCapture)$|Capture$/i,c=0,l={},u=0;var ue,P,de,fe,pe=Object.is,me=0,he=[],ge=[],F=e,_e=F.__b,ve=F.__r,ye=F.diffed,be=F.__c,xe=F.unmount,Se=F.__;function Ce(e,t){F.__h&&F.__h(P,e,me||t),me=0;var n=P.__H||(P.__H={__:[],__h:[]});return e>=n.__.length&&n.__.push({}),n.__[e]}function I(e){return me=1,we(Ne,e)}function we(e,t,n){var r=Ce(ue++,2);if(r.t=e,!r.__c&&(r.__=[n?n(t):Ne(void 0,t),function(e){var t=(r.__N||r.__)[0],n=r.t(t,e);pe(t,n)||(r.__N=[n,r.__[1]],r.__c.setState({}))}],r.__c=P,!P.__f)){P.__f=!0;var i=P.shouldComponentUpdate;P.shouldComponentUpdate=function(e,t,n){var r=this.__H;if(!r)return!0;var a=!1,o=this.props!=e;if(r.__.some(function(e){e.__N&&(a=!0,pe(e.__[0],e.__N[0])||(o=!0))}),i){var s=i.call(this,e,t,n);return a?s||o:s}return!a||o}}return r.__}function L(e,t){var n=Ce(ue++,3);!F.__s&&Me(n.__H,t)&&(n.__P=!0,n.__=e,n.u=t,P.__H.__h.push(n))}function Te(e){var t=P.context[e.__c],n=Ce(ue++,9);return n.c=e,t?(n.__??(n.__=!0,t.sub(P)),t.props.value):e.__}function Ee(){var e;do{for(;e=ge.shift();)try{Ae(e)}catch(t){F.__e(t,{__:(e=e.__P)&&e.__v})}for(;e=he.shift();){var t=e.__H;if(e.__P&&t)try{t.__h.some(Ae),t.__h.some(je),t.__h=[]}catch(n){t.__h=[],F.__e(n,e.__v)}}}while(ge.length)}F.__b=function(e){P=null,_e&&_e(e)},F.__=function(e,t){e&&t.__k&&t.__k.__m&&(e.__m=t.__k.__m),Se&&Se(e,t)},F.__r=function(e){ve&&ve(e),ue=0;var t=(P=e.__c).__H;t&&(de==P?P.__h=[]:(t.__h.some(Ae),t.__h.some(je),ue=0),t.__h=[],t.__.some(function(e){e.__N&&(e.__=e.__N),e.u=e.__N=void 0})),de=P},F.diffed=function(e){ye&&ye(e);var t=e.__c;t&&t.__H&&(t.__H.__h.length&&ke(he.push(t)),t.__H.__.some(function(e){e.u&&(e.__H=e.u)})),de=P=null},F.__c=function(e,t){t.some(function(e){try{e.__h.some(Ae),e.__h=e.__h.filter(function(e){return!e.__||je(e)})}catch(t){e.__h=[function(){throw t}]}}),be&&be(e,t)},F.unmount=function(e){xe&&xe(e);var t,n,r=e.__c;r&&r.__H&&(r.__H.__.some(function(r){try{if(r.__P&&r.__c){if(n===void 0){for(n=e.__;n&&(!n.__c||!n.__c.__P);)n=n.__;n&&=n.__c}r.__P=n,ke(ge.push(r))}else Ae(r)}catch(e){t=e}}),r.__H=void 0,t&&F.__e(t,r.__v))};var De=typeof requestAnimationFrame==`function`;function Oe(e){var t,n=function(){clearTimeout(r),De&&cancelAnimationFrame(t),setTimeout(e)},r=setTimeout(n,35);De&&(t=requestAnimationFrame(n))}function ke(e){e!=1&&fe==F.requestAnimationFrame||((fe=F.requestAnimationFrame)||Oe)(Ee)}function Ae(e){var t=P,n=e.__c;typeof n==`function`&&(e.__c=void 0,n()),P=t}function je(e){var t=P;e.__c=e.__(),P=t}function Me(e,t){return!e||e.length!=t.length||t.some(function(t,n){return!pe(t,e[n])})}function Ne(e,t){return typeof t==`function`?t(e):t}var Pe={UNAUTHENTICATED:`Please sign in again.`,FORBIDDEN:`Your role may not do this.`,NOT_FOUND:`Not found.`,VALIDATION_FAILED:`Please check what you entered.`,CONFLICT:`This conflicts with the current state.`,INVALID_CODE:`That code is not right.`,CODE_EXPIRED:`That code has expired: start again.`,TOO_MANY_ATTEMPTS:`Too many attempts.`,RATE_LIMITED:`Too many requests: wait a little.`,LOCKED:`This account is locked for now.`,KYC_REQUIRED:`Identity verification is needed first.`,MAINTENANCE:`Gatehouse is in maintenance.`,ACCESS_RESTRICTED:`Access from here is restricted.`,UNAVAILABLE:`Gatehouse is busy: try again shortly.`,INTERNAL:`Something went wrong on the server.`,NETWORK:`No connection to Gatehouse.`};function Fe(e,t,n={}){let r=Pe[e]??e,i=Object.entries(n).map(([e,t])=>`${e}: ${t}`),a=t&&t.charAt(0).toUpperCase()+t.slice(1),o=i.length>0?i.join(`; `):a;return o&&o!==r?`${r} ${o}`:r}var R=class extends String{__apiType;value;__meta__;constructor(e,t){super(e),this.value=e,this.__meta__=t}toString(){return this.value}},Ie={"\n  mutation SignIn($input: SignInInput!) {\n    signIn(input: $input) {\n      status\n      challenge { id channel destination }\n      auth { accessToken refreshToken accessTokenExpiresAt user { id name email phone role } }\n    }\n  }\n":new R(`
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
    `),"\n  mutation SignInWithPin($input: SignInWithPinInput!) {\n    signInWithPin(input: $input) {\n      status\n      challenge { id channel destination }\n      auth { accessToken refreshToken accessTokenExpiresAt user { id name email phone role } }\n    }\n  }\n":new R(`
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
    `),"\n  mutation VerifySignIn($input: VerifySignInInput!) {\n    verifySignIn(input: $input) { accessToken refreshToken accessTokenExpiresAt user { id name email phone role } }\n  }\n":new R(`
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
    `),"\n  mutation VerifyDeviceSignIn($input: VerifyDeviceSignInInput!) {\n    verifyDeviceSignIn(input: $input) { accessToken refreshToken accessTokenExpiresAt user { id name email phone role } }\n  }\n":new R(`
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
    `),"\n  mutation Refresh($input: RefreshSessionInput!) {\n    refreshSession(input: $input) { accessToken refreshToken accessTokenExpiresAt user { id name email phone role } }\n  }\n":new R(`
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
    `),"\n  mutation SignOut { signOut }\n":new R(`
    mutation SignOut {
  signOut
}
    `),"\n  query Whoami { me { id name email phone role } myPermissions }\n":new R(`
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
    `),"\n  query Users($filter: UserFilter, $orderBy: UserOrder, $first: Int, $after: String, $kyc: Boolean!) {\n    users(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {\n      totalCount\n      totalCountExact\n      pageInfo { hasNextPage endCursor }\n      edges { cursor node { id name email phone role state level countryCode createdAt lastSignInAt kycStatus @include(if: $kyc) } }\n    }\n  }\n":new R(`
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
    `),"\n  query UserDetail(\n    $id: ID!\n    $profile: Boolean!\n    $kyc: Boolean!\n    $labels: Boolean!\n    $phones: Boolean!\n    $documents: Boolean!\n    $selfie: Boolean!\n    $devices: Boolean!\n    $accounts: Boolean!\n  ) {\n    user(id: $id) {\n      id name email phone pendingPhone role state level countryCode hasPin hasPassword totpEnabled\n      referralCode createdAt lastSignInAt\n      kycStatus @include(if: $kyc)\n      kycRejectionReason @include(if: $kyc)\n      profile @include(if: $profile) { firstName lastName dateOfBirth address postcode city country confirmed }\n      labels @include(if: $labels) { key value scope description updatedAt }\n      phones @include(if: $phones) { id number verified verifiedAt createdAt }\n      documents @include(if: $documents) {\n        id type number expiresOn createdAt\n        front { id contentType url }\n        back { id contentType url }\n      }\n      selfie @include(if: $selfie) { id createdAt image { id contentType url } }\n      devices @include(if: $devices) { id deviceId name trusted createdAt lastSeenAt }\n      accounts @include(if: $accounts) {\n        id email subAccountId active createdAt\n        portfolios { id name type address publicStrategy createdAt }\n      }\n    }\n  }\n":new R(`
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
    `),"\n  query UserSessions($id: ID!) {\n    user(id: $id) { id sessions { id createdAt lastUsedAt expiresAt mfa device { name deviceId } } }\n  }\n":new R(`
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
    `),"\n  query UserActivity($id: ID!) {\n    user(id: $id) { id recentActivity(first: 20) { id topic action result reason ip createdAt } }\n  }\n":new R(`
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
    `),"\n  mutation SetUserState($input: SetUserStateInput!) { setUserState(input: $input) { id state } }\n":new R(`
    mutation SetUserState($input: SetUserStateInput!) {
  setUserState(input: $input) {
    id
    state
  }
}
    `),"\n  mutation SetUserRole($input: SetUserRoleInput!) { setUserRole(input: $input) { id role } }\n":new R(`
    mutation SetUserRole($input: SetUserRoleInput!) {
  setUserRole(input: $input) {
    id
    role
  }
}
    `),"\n  mutation SetUserLabel($input: SetUserLabelInput!) { setUserLabel(input: $input) { key value scope } }\n":new R(`
    mutation SetUserLabel($input: SetUserLabelInput!) {
  setUserLabel(input: $input) {
    key
    value
    scope
  }
}
    `),"\n  mutation RemoveUserLabel($input: RemoveUserLabelInput!) { removeUserLabel(input: $input) }\n":new R(`
    mutation RemoveUserLabel($input: RemoveUserLabelInput!) {
  removeUserLabel(input: $input)
}
    `),"\n  mutation ResetUserMfa($input: ResetUserMfaInput!) { resetUserMfa(input: $input) { id totpEnabled } }\n":new R(`
    mutation ResetUserMfa($input: ResetUserMfaInput!) {
  resetUserMfa(input: $input) {
    id
    totpEnabled
  }
}
    `),"\n  mutation RevokeUserSessions($input: RevokeUserSessionsInput!) { revokeUserSessions(input: $input) { revoked } }\n":new R(`
    mutation RevokeUserSessions($input: RevokeUserSessionsInput!) {
  revokeUserSessions(input: $input) {
    revoked
  }
}
    `),"\n  query KycQueue($filter: KycSubmissionFilter, $first: Int, $after: String) {\n    kycSubmissions(filter: $filter, first: $first, after: $after) {\n      pageInfo { hasNextPage endCursor }\n      edges {\n        node {\n          id status country submittedAt decidedAt reason\n          user { id name email phone }\n          profile { firstName lastName dateOfBirth country }\n          document { id type number expiresOn front { id contentType url } back { id contentType url } }\n          selfie { id image { id contentType url } }\n        }\n      }\n    }\n  }\n":new R(`
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
    `),"\n  mutation ApproveKyc($input: DecideKycSubmissionInput!) { approveKycSubmission(input: $input) { id status } }\n":new R(`
    mutation ApproveKyc($input: DecideKycSubmissionInput!) {
  approveKycSubmission(input: $input) {
    id
    status
  }
}
    `),"\n  mutation RejectKyc($input: RejectKycSubmissionInput!) { rejectKycSubmission(input: $input) { id status reason } }\n":new R(`
    mutation RejectKyc($input: RejectKycSubmissionInput!) {
  rejectKycSubmission(input: $input) {
    id
    status
    reason
  }
}
    `),"\n  query PinResets($status: PinResetStatus, $first: Int, $after: String) {\n    pinResets(status: $status, first: $first, after: $after) {\n      pageInfo { hasNextPage endCursor }\n      edges {\n        node {\n          id status reason createdAt decidedAt documentUploaded\n          user { id name phone }\n          document { id type number front { id contentType url } }\n          selfie { id contentType url }\n        }\n      }\n    }\n  }\n":new R(`
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
    `),"\n  mutation ApprovePinReset($input: DecidePinResetInput!) { approvePinReset(input: $input) { id status } }\n":new R(`
    mutation ApprovePinReset($input: DecidePinResetInput!) {
  approvePinReset(input: $input) {
    id
    status
  }
}
    `),"\n  mutation RejectPinReset($input: RejectPinResetInput!) { rejectPinReset(input: $input) { id status } }\n":new R(`
    mutation RejectPinReset($input: RejectPinResetInput!) {
  rejectPinReset(input: $input) {
    id
    status
  }
}
    `),"\n  query FailedDeliveries($first: Int, $after: String) {\n    failedDeliveries(first: $first, after: $after) {\n      pageInfo { hasNextPage endCursor }\n      edges {\n        cursor\n        node { id channel destination template about reason detail provider attempts createdAt failedAt codeExpiresAt }\n      }\n    }\n  }\n":new R(`
    query FailedDeliveries($first: Int, $after: String) {
  failedDeliveries(first: $first, after: $after) {
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      cursor
      node {
        id
        channel
        destination
        template
        about
        reason
        detail
        provider
        attempts
        createdAt
        failedAt
        codeExpiresAt
      }
    }
  }
}
    `),"\n  mutation RetryDelivery($input: RetryDeliveryInput!) { retryDelivery(input: $input) { id status } }\n":new R(`
    mutation RetryDelivery($input: RetryDeliveryInput!) {
  retryDelivery(input: $input) {
    id
    status
  }
}
    `),"\n  query PermissionRows { permissions { id role operation action updatedAt } }\n":new R(`
    query PermissionRows {
  permissions {
    id
    role
    operation
    action
    updatedAt
  }
}
    `),"\n  mutation CreatePermission($input: CreatePermissionInput!) { createPermission(input: $input) { id } }\n":new R(`
    mutation CreatePermission($input: CreatePermissionInput!) {
  createPermission(input: $input) {
    id
  }
}
    `),"\n  mutation UpdatePermission($input: UpdatePermissionInput!) { updatePermission(input: $input) { id action } }\n":new R(`
    mutation UpdatePermission($input: UpdatePermissionInput!) {
  updatePermission(input: $input) {
    id
    action
  }
}
    `),"\n  mutation DeletePermission($input: DeletePermissionInput!) { deletePermission(input: $input) }\n":new R(`
    mutation DeletePermission($input: DeletePermissionInput!) {
  deletePermission(input: $input)
}
    `),"\n  query AdminActivities($filter: AdminActivityFilter, $first: Int, $after: String) {\n    adminActivities(filter: $filter, first: $first, after: $after) {\n      pageInfo { hasNextPage endCursor }\n      edges {\n        node { id action reason result error ip createdAt admin { id name email phone } targetUser { id name email phone } }\n      }\n    }\n  }\n":new R(`
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
    `),"\n  query Metrics($from: Time!, $to: Time!, $interval: MetricInterval) {\n    adminMetrics(from: $from, to: $to, interval: $interval) {\n      from to interval\n      totals { signUps signInsSucceeded signInsFailed otpsSent kycPending kycApproved kycRejected activeUsers }\n      series { start signUps signInsSucceeded signInsFailed otpsSent kycPending kycApproved kycRejected activeUsers }\n    }\n  }\n":new R(`
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
    `),"\n  query OperatorSettings {\n    operatorSettings {\n      maintenance { enabled message }\n      appVersions { platform minimumVersion currentVersion storeUrl storeAppId }\n      featureFlags { key enabled description }\n      rules { idleTimeSeconds otpLifetimeSeconds serverOtpLifetimeSeconds }\n      appContents\n      pushChannels\n      updatedAt\n    }\n    termsKinds { kind askUsers current { version title url publishedAt } }\n  }\n":new R(`
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
    `),"\n  mutation SetMaintenance($input: SetMaintenanceInput!) { setMaintenance(input: $input) { maintenance { enabled } } }\n":new R(`
    mutation SetMaintenance($input: SetMaintenanceInput!) {
  setMaintenance(input: $input) {
    maintenance {
      enabled
    }
  }
}
    `),"\n  mutation SetAppVersion($input: SetAppVersionInput!) { setAppVersion(input: $input) { appVersion { platform } } }\n":new R(`
    mutation SetAppVersion($input: SetAppVersionInput!) {
  setAppVersion(input: $input) {
    appVersion {
      platform
    }
  }
}
    `),"\n  mutation SetFeatureFlag($input: SetFeatureFlagInput!) { setFeatureFlag(input: $input) { featureFlag { key enabled } } }\n":new R(`
    mutation SetFeatureFlag($input: SetFeatureFlagInput!) {
  setFeatureFlag(input: $input) {
    featureFlag {
      key
      enabled
    }
  }
}
    `),"\n  mutation RemoveFeatureFlag($input: RemoveFeatureFlagInput!) { removeFeatureFlag(input: $input) { removed } }\n":new R(`
    mutation RemoveFeatureFlag($input: RemoveFeatureFlagInput!) {
  removeFeatureFlag(input: $input) {
    removed
  }
}
    `),"\n  mutation SetClientRules($input: SetClientRulesInput!) { setClientRules(input: $input) { rules { idleTimeSeconds } } }\n":new R(`
    mutation SetClientRules($input: SetClientRulesInput!) {
  setClientRules(input: $input) {
    rules {
      idleTimeSeconds
    }
  }
}
    `),"\n  mutation SetAppContents($input: SetAppContentsInput!) { setAppContents(input: $input) { appContents } }\n":new R(`
    mutation SetAppContents($input: SetAppContentsInput!) {
  setAppContents(input: $input) {
    appContents
  }
}
    `),"\n  mutation SetPushChannels($input: SetPushChannelsInput!) { setPushChannels(input: $input) { pushChannels } }\n":new R(`
    mutation SetPushChannels($input: SetPushChannelsInput!) {
  setPushChannels(input: $input) {
    pushChannels
  }
}
    `),"\n  mutation PublishTerms($input: PublishTermsInput!) { publishTerms(input: $input) { document { kind version } } }\n":new R(`
    mutation PublishTerms($input: PublishTermsInput!) {
  publishTerms(input: $input) {
    document {
      kind
      version
    }
  }
}
    `),"\n  query LevelRules {\n    levels { level rules { key value description } }\n    levelJobs(first: 10) { id state action minLevel done total changed createdAt finishedAt }\n  }\n":new R(`
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
    `),"\n  mutation AddLevelRule($input: AddLevelRuleInput!) { addLevelRule(input: $input) { level job { id } } }\n":new R(`
    mutation AddLevelRule($input: AddLevelRuleInput!) {
  addLevelRule(input: $input) {
    level
    job {
      id
    }
  }
}
    `),"\n  mutation RemoveLevelRule($input: RemoveLevelRuleInput!) { removeLevelRule(input: $input) { removed } }\n":new R(`
    mutation RemoveLevelRule($input: RemoveLevelRuleInput!) {
  removeLevelRule(input: $input) {
    removed
  }
}
    `)};function z(e){return Ie[e]??{}}var Le=z(`
  mutation SignIn($input: SignInInput!) {
    signIn(input: $input) {
      status
      challenge { id channel destination }
      auth { accessToken refreshToken accessTokenExpiresAt user { id name email phone role } }
    }
  }
`),Re=z(`
  mutation SignInWithPin($input: SignInWithPinInput!) {
    signInWithPin(input: $input) {
      status
      challenge { id channel destination }
      auth { accessToken refreshToken accessTokenExpiresAt user { id name email phone role } }
    }
  }
`),ze=z(`
  mutation VerifySignIn($input: VerifySignInInput!) {
    verifySignIn(input: $input) { accessToken refreshToken accessTokenExpiresAt user { id name email phone role } }
  }
`),Be=z(`
  mutation VerifyDeviceSignIn($input: VerifyDeviceSignInInput!) {
    verifyDeviceSignIn(input: $input) { accessToken refreshToken accessTokenExpiresAt user { id name email phone role } }
  }
`),Ve=z(`
  mutation Refresh($input: RefreshSessionInput!) {
    refreshSession(input: $input) { accessToken refreshToken accessTokenExpiresAt user { id name email phone role } }
  }
`),He=z(`
  mutation SignOut { signOut }
`),Ue=z(`
  query Whoami { me { id name email phone role } myPermissions }
`),We=z(`
  query Users($filter: UserFilter, $orderBy: UserOrder, $first: Int, $after: String, $kyc: Boolean!) {
    users(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
      totalCount
      totalCountExact
      pageInfo { hasNextPage endCursor }
      edges { cursor node { id name email phone role state level countryCode createdAt lastSignInAt kycStatus @include(if: $kyc) } }
    }
  }
`),Ge=z(`
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
`),Ke=z(`
  query UserSessions($id: ID!) {
    user(id: $id) { id sessions { id createdAt lastUsedAt expiresAt mfa device { name deviceId } } }
  }
`),qe=z(`
  query UserActivity($id: ID!) {
    user(id: $id) { id recentActivity(first: 20) { id topic action result reason ip createdAt } }
  }
`),Je=z(`
  mutation SetUserState($input: SetUserStateInput!) { setUserState(input: $input) { id state } }
`),Ye=z(`
  mutation SetUserRole($input: SetUserRoleInput!) { setUserRole(input: $input) { id role } }
`),Xe=z(`
  mutation SetUserLabel($input: SetUserLabelInput!) { setUserLabel(input: $input) { key value scope } }
`),Ze=z(`
  mutation RemoveUserLabel($input: RemoveUserLabelInput!) { removeUserLabel(input: $input) }
`),Qe=z(`
  mutation ResetUserMfa($input: ResetUserMfaInput!) { resetUserMfa(input: $input) { id totpEnabled } }
`),$e=z(`
  mutation RevokeUserSessions($input: RevokeUserSessionsInput!) { revokeUserSessions(input: $input) { revoked } }
`),et=z(`
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
`),tt=z(`
  mutation ApproveKyc($input: DecideKycSubmissionInput!) { approveKycSubmission(input: $input) { id status } }
`),nt=z(`
  mutation RejectKyc($input: RejectKycSubmissionInput!) { rejectKycSubmission(input: $input) { id status reason } }
`),rt=z(`
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
`),it=z(`
  mutation ApprovePinReset($input: DecidePinResetInput!) { approvePinReset(input: $input) { id status } }
`),at=z(`
  mutation RejectPinReset($input: RejectPinResetInput!) { rejectPinReset(input: $input) { id status } }
`),ot=z(`
  query FailedDeliveries($first: Int, $after: String) {
    failedDeliveries(first: $first, after: $after) {
      pageInfo { hasNextPage endCursor }
      edges {
        cursor
        node { id channel destination template about reason detail provider attempts createdAt failedAt codeExpiresAt }
      }
    }
  }
`),st=z(`
  mutation RetryDelivery($input: RetryDeliveryInput!) { retryDelivery(input: $input) { id status } }
`),ct=z(`
  query PermissionRows { permissions { id role operation action updatedAt } }
`),lt=z(`
  mutation CreatePermission($input: CreatePermissionInput!) { createPermission(input: $input) { id } }
`),ut=z(`
  mutation UpdatePermission($input: UpdatePermissionInput!) { updatePermission(input: $input) { id action } }
`),dt=z(`
  mutation DeletePermission($input: DeletePermissionInput!) { deletePermission(input: $input) }
`),ft=z(`
  query AdminActivities($filter: AdminActivityFilter, $first: Int, $after: String) {
    adminActivities(filter: $filter, first: $first, after: $after) {
      pageInfo { hasNextPage endCursor }
      edges {
        node { id action reason result error ip createdAt admin { id name email phone } targetUser { id name email phone } }
      }
    }
  }
`),pt=z(`
  query Metrics($from: Time!, $to: Time!, $interval: MetricInterval) {
    adminMetrics(from: $from, to: $to, interval: $interval) {
      from to interval
      totals { signUps signInsSucceeded signInsFailed otpsSent kycPending kycApproved kycRejected activeUsers }
      series { start signUps signInsSucceeded signInsFailed otpsSent kycPending kycApproved kycRejected activeUsers }
    }
  }
`),mt=z(`
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
`),ht=z(`
  mutation SetMaintenance($input: SetMaintenanceInput!) { setMaintenance(input: $input) { maintenance { enabled } } }
`),gt=z(`
  mutation SetAppVersion($input: SetAppVersionInput!) { setAppVersion(input: $input) { appVersion { platform } } }
`),_t=z(`
  mutation SetFeatureFlag($input: SetFeatureFlagInput!) { setFeatureFlag(input: $input) { featureFlag { key enabled } } }
`),vt=z(`
  mutation RemoveFeatureFlag($input: RemoveFeatureFlagInput!) { removeFeatureFlag(input: $input) { removed } }
`),yt=z(`
  mutation SetClientRules($input: SetClientRulesInput!) { setClientRules(input: $input) { rules { idleTimeSeconds } } }
`),bt=z(`
  mutation SetAppContents($input: SetAppContentsInput!) { setAppContents(input: $input) { appContents } }
`),xt=z(`
  mutation SetPushChannels($input: SetPushChannelsInput!) { setPushChannels(input: $input) { pushChannels } }
`),St=z(`
  mutation PublishTerms($input: PublishTermsInput!) { publishTerms(input: $input) { document { kind version } } }
`),Ct=z(`
  query LevelRules {
    levels { level rules { key value description } }
    levelJobs(first: 10) { id state action minLevel done total changed createdAt finishedAt }
  }
`),wt=z(`
  mutation AddLevelRule($input: AddLevelRuleInput!) { addLevelRule(input: $input) { level job { id } } }
`),Tt=z(`
  mutation RemoveLevelRule($input: RemoveLevelRuleInput!) { removeLevelRule(input: $input) { removed } }
`),Et=`gatehouse.console.refresh`,Dt=`gatehouse.console.device`,B=class extends Error{code;fields;reason;constructor(e,t,n={},r=``){super(t),this.code=e,this.fields=n,this.reason=r}get text(){return Fe(this.code,this.message,this.fields)}},V=null,Ot=null,kt=()=>{};function At(){let e=localStorage.getItem(Dt);return e||(e=`console-`+crypto.randomUUID(),localStorage.setItem(Dt,e)),e}function jt(e){kt=e}function Mt(e){V={token:e.accessToken},sessionStorage.setItem(Et,e.refreshToken)}function Nt(){V=null,sessionStorage.removeItem(Et)}function Pt(){return V!==null||sessionStorage.getItem(Et)!==null}async function Ft(e,t,n){let r={"Content-Type":`application/json`};n&&(r.Authorization=`Bearer `+n);let i;try{i=await fetch(`/graphql`,{method:`POST`,headers:r,body:JSON.stringify({query:e,variables:t})})}catch{throw new B(`NETWORK`,`Gatehouse did not answer.`)}let a;try{a=await i.json()}catch{throw new B(`INTERNAL`,`Unexpected answer (HTTP ${i.status}).`)}if(a.errors&&a.errors.length>0){let e=a.errors[0],t=e.extensions??{};throw new B(String(t.code??`INTERNAL`),e.message,t.fields??{},String(t.reason??``))}return a.data}function It(){return Ot||=(async()=>{let e=sessionStorage.getItem(Et);if(!e)return!1;try{return Mt((await Ft(Ve.toString(),{input:{refreshToken:e}},null)).refreshSession),!0}catch(e){return e instanceof B&&e.code!==`NETWORK`&&e.code!==`UNAVAILABLE`&&Nt(),!1}finally{Ot=null}})(),Ot}async function H(e,t){!V&&Pt()&&await It();try{return await Ft(e.toString(),t??{},V?.token??null)}catch(n){if(n instanceof B&&n.code===`UNAUTHENTICATED`&&Pt()){if(V=null,await It())return await Ft(e.toString(),t??{},V.token);Nt(),kt()}throw n}}async function Lt(){return sessionStorage.getItem(Et)?It():!1}var Rt=`/console`;function zt(e){history.pushState(null,``,Rt+e),dispatchEvent(new PopStateEvent(`popstate`))}function Bt(){let e=()=>({path:location.pathname.slice(8).replace(/\/+$/,``)||`/`,params:new URLSearchParams(location.search)}),[t,n]=I(e);return L(()=>{let t=()=>n(e());return addEventListener(`popstate`,t),()=>removeEventListener(`popstate`,t)},[]),t}function Vt(e){return{href:Rt+e,onClick:t=>{t.ctrlKey||t.metaKey||t.shiftKey||t.button!==0||(t.preventDefault(),zt(e))}}}var Ht=Symbol.for(`pv`),Ut=0;Array.isArray;function U(t,n,r,i,a,o){n||={};var s,c,l=n;if(`ref`in l&&typeof t!=`function`)for(c in l={},n)c==`ref`?s=n[c]:l[c]=n[c];var u={type:t,props:l,key:r,ref:s,__k:null,__:null,__b:0,__e:null,__c:null,constructor:Ht,__v:--Ut,__i:-1,__u:0};return(a||o)&&(u.__source=a,u.__self=o),e.vnode&&e.vnode(u),u}var Wt=0;function Gt(e){let[t]=I(()=>`${e}-${++Wt}`);return t}function Kt(e){return e instanceof B?e.text:e instanceof Error?e.message:String(e)}function W({error:e}){return e?U(`p`,{class:`problem`,role:`alert`,"data-code":e instanceof B?e.code:`ERROR`,children:Kt(e)}):null}function G(e){let t=Gt(`f`);return U(`div`,{class:`field`,children:[U(`label`,{for:t,children:e.label}),U(`input`,{id:t,name:e.name,type:e.type??`text`,value:e.value,required:e.required,autoComplete:e.autoComplete,placeholder:e.placeholder,inputMode:e.inputMode,onInput:t=>e.onValue(t.currentTarget.value)})]})}function qt(e){let t=Gt(`t`);return U(`div`,{class:`field wide`,children:[U(`label`,{for:t,children:e.label}),U(`textarea`,{id:t,rows:e.rows??6,value:e.value,required:e.required,onInput:t=>e.onValue(t.currentTarget.value)})]})}function Jt(e){let t=Gt(`c`);return U(`div`,{class:`check`,children:[U(`input`,{id:t,type:`checkbox`,checked:e.checked,onChange:t=>e.onChecked(t.currentTarget.checked)}),U(`label`,{for:t,children:e.label})]})}function K(e){let t=Gt(`s`);return U(`div`,{class:`field`,children:[U(`label`,{for:t,children:e.label}),U(`select`,{id:t,value:e.value,onChange:t=>e.onValue(t.currentTarget.value),children:[e.blank!==void 0&&U(`option`,{value:``,children:e.blank}),e.options.map(e=>U(`option`,{value:e,children:e},e))]})]})}function q(e){let[t,n]=I(!1),[r,i]=I(``),[a,o]=I(!1),[s,c]=I(null),[l,u]=I(!1);return t?U(`form`,{class:`reason`,onSubmit:async t=>{t.preventDefault(),o(!0),c(null);try{await e.run(r),n(!1),i(``),u(!0)}catch(e){c(e)}finally{o(!1)}},children:[e.children,U(G,{label:`Reason for "${e.label}"`,value:r,onValue:i,required:!0}),U(`button`,{type:`submit`,disabled:a,class:e.danger?`danger`:``,children:e.label}),U(`button`,{type:`button`,onClick:()=>n(!1),children:`Cancel`}),U(W,{error:s}),l&&U(`span`,{class:`ok`,children:`Done.`})]}):U(`button`,{type:`button`,class:e.danger?`danger`:``,disabled:e.disabled,title:e.title,onClick:()=>{n(!0),u(!1)},children:e.label})}function J(e){return e?e.replace(`T`,` `).replace(/(:\d\d)(\.\d+)?Z$/,`$1 UTC`):`—`}function Y(){return U(`p`,{"aria-live":`polite`,children:`Loading…`})}function Yt(e){return e?U(`a`,{...Vt(`/users/`+e.id),children:e.name||e.email||e.phone||e.id}):`—`}function Xt(){let[e,t]=I({action:``,adminId:``,targetUserId:``,from:``,to:``}),[n,r]=I({}),[i,a]=I([null]),[o,s]=I(null),[c,l]=I(null),u=i.length-1,d=n=>r=>t({...e,[n]:r});return L(()=>{l(null),H(ft,{filter:n,first:50,after:i[u]}).then(e=>s(e.adminActivities)).catch(e=>{l(e),s(null)})},[n,i]),U(`section`,{children:[U(`h1`,{children:`Admin activities`}),U(`form`,{class:`filters`,onSubmit:t=>{t.preventDefault();let n={};e.action.trim()&&(n.action=e.action.trim()),e.adminId.trim()&&(n.adminId=e.adminId.trim()),e.targetUserId.trim()&&(n.targetUserId=e.targetUserId.trim()),e.from&&(n.from=new Date(e.from+`T00:00:00Z`).toISOString()),e.to&&(n.to=new Date(e.to+`T00:00:00Z`).toISOString()),r(n),a([null])},"aria-label":`Filter admin activities`,children:[U(G,{label:`Operation (e.g. setUserState)`,value:e.action,onValue:d(`action`)}),U(G,{label:`Staff member id`,value:e.adminId,onValue:d(`adminId`)}),U(G,{label:`Target user id`,value:e.targetUserId,onValue:d(`targetUserId`)}),U(G,{label:`From`,type:`date`,value:e.from,onValue:d(`from`)}),U(G,{label:`Before`,type:`date`,value:e.to,onValue:d(`to`)}),U(`div`,{class:`actions`,children:U(`button`,{type:`submit`,children:`Filter`})})]}),U(W,{error:c}),!o&&!c&&U(Y,{}),o&&U(b,{children:[U(`table`,{children:[U(`thead`,{children:U(`tr`,{children:[U(`th`,{scope:`col`,children:`When`}),U(`th`,{scope:`col`,children:`Staff`}),U(`th`,{scope:`col`,children:`Operation`}),U(`th`,{scope:`col`,children:`User`}),U(`th`,{scope:`col`,children:`Reason`}),U(`th`,{scope:`col`,children:`Result`}),U(`th`,{scope:`col`,children:`IP`})]})}),U(`tbody`,{children:o.edges.map(({node:e})=>U(`tr`,{children:[U(`td`,{children:J(e.createdAt)}),U(`td`,{children:Yt(e.admin)}),U(`td`,{children:U(`code`,{children:e.action})}),U(`td`,{children:Yt(e.targetUser)}),U(`td`,{children:e.reason}),U(`td`,{children:[e.result,e.error?` (${e.error})`:``]}),U(`td`,{children:e.ip})]},e.id))})]}),U(`nav`,{class:`pager`,"aria-label":`Pages`,children:[U(`button`,{type:`button`,disabled:u===0,onClick:()=>a(i.slice(0,-1)),children:`Previous page`}),U(`button`,{type:`button`,disabled:!o.pageInfo.hasNextPage,onClick:()=>a([...i,o.pageInfo.endCursor??null]),children:`Next page`})]})]})]})}var Zt=N(new Set);function X(){let e=Te(Zt);return t=>e.has(t)}var Z=`Your role may not do this`;function Qt(){let[e,t]=I([null]),[n,r]=I(null),[i,a]=I(null),[o,s]=I(0),[c,l]=I(null),u=e.length-1;return L(()=>{a(null),H(ot,{first:20,after:e[u]}).then(e=>r(e.failedDeliveries)).catch(e=>{a(e),r(null)})},[e,o]),U(`section`,{children:[U(`h1`,{children:`Dead letters`}),U(`p`,{class:`muted`,children:`Messages that could not be delivered, newest first; kept 30 days.`}),U(W,{error:i}),c&&U(`p`,{class:`ok`,role:`status`,children:c}),!n&&!i&&U(Y,{}),n&&n.edges.length===0&&U(`p`,{children:`No dead letters here.`}),n&&n.edges.length>0&&U(`table`,{children:[U(`thead`,{children:U(`tr`,{children:[U(`th`,{scope:`col`,children:`Failed`}),U(`th`,{scope:`col`,children:`Reason`}),U(`th`,{scope:`col`,children:`To`}),U(`th`,{scope:`col`,children:`Template`}),U(`th`,{scope:`col`,children:`About`}),U(`th`,{scope:`col`,children:`Tries`}),U(`th`,{scope:`col`,children:`Provider's answer`}),U(`th`,{scope:`col`,children:`Code expires`}),U(`th`,{scope:`col`,children:`Action`})]})}),U(`tbody`,{children:n.edges.map(({node:e})=>U($t,{d:e,sent:t=>{l(`The message to ${e.destination} is queued again (${t}).`),s(o+1)}},e.id))})]}),n&&U(`nav`,{class:`pager`,"aria-label":`Pages`,children:[U(`button`,{type:`button`,disabled:u===0,onClick:()=>t(e.slice(0,-1)),children:`Previous page`}),U(`button`,{type:`button`,disabled:!n.pageInfo.hasNextPage,onClick:()=>t([...e,n.pageInfo.endCursor??null]),children:`Next page`})]})]})}function $t({d:e,sent:t}){let n=X(),[r,i]=I(!1),[a,o]=I(null);return U(`tr`,{"data-delivery":e.id,children:[U(`td`,{children:[J(e.failedAt),U(`br`,{}),U(`span`,{class:`muted`,children:[`queued `,J(e.createdAt)]})]}),U(`td`,{children:U(`code`,{children:e.reason})}),U(`td`,{children:[e.destination,U(`br`,{}),U(`span`,{class:`muted`,children:e.channel})]}),U(`td`,{children:U(`code`,{children:e.template})}),U(`td`,{children:U(`code`,{children:e.about})}),U(`td`,{children:e.attempts}),U(`td`,{children:[e.provider,e.detail?`: ${e.detail}`:``]}),U(`td`,{children:e.codeExpiresAt?J(e.codeExpiresAt):`No code`}),U(`td`,{children:U(`div`,{class:`row-actions`,children:[U(`button`,{type:`button`,onClick:async()=>{i(!0),o(null);try{t((await H(st,{input:{id:e.id}})).retryDelivery.status)}catch(e){o(e)}finally{i(!1)}},disabled:r||!n(`retryDelivery`),title:n(`retryDelivery`)?void 0:Z,children:`Send again`}),U(W,{error:a})]})})]})}function Q({file:e,alt:t}){let[n,r]=I(!1);return e?e.url?n?U(`p`,{class:`problem`,role:`alert`,children:[t,`: the file could not be loaded (missing from storage, or its link expired: reload the page).`]}):e.contentType===`application/pdf`?U(`a`,{href:e.url,target:`_blank`,rel:`noopener`,children:[t,` (PDF)`]}):U(`a`,{href:e.url,target:`_blank`,rel:`noopener`,class:`kycfile`,children:U(`img`,{src:e.url,alt:t,onError:()=>r(!0)})}):U(`p`,{class:`muted`,children:[t,`: your role may not open KYC files.`]}):U(`p`,{class:`muted`,children:[`No `,t.toLowerCase(),`.`]})}function en({id:e}){let t=X(),[n,r]=I(null),[i,a]=I(null),[o,s]=I(null),[c,l]=I(null),[u,d]=I(null),[f,p]=I(0),m=()=>p(f+1);if(L(()=>{a(null),H(Ge,{id:e,profile:t(`User.profile`),kyc:t(`User.kycStatus`),labels:t(`User.labels`),phones:t(`User.phones`),documents:t(`User.documents`),selfie:t(`User.selfie`),devices:t(`User.devices`),accounts:t(`User.accounts`)}).then(e=>e.user?r(e.user):a(Error(`No user has this id.`))).catch(a),t(`User.sessions`)&&H(Ke,{id:e}).then(e=>s(e.user)).catch(d),t(`User.recentActivity`)&&H(qe,{id:e}).then(e=>l(e.user)).catch(d)},[e,f]),i)return U(W,{error:i});if(!n)return U(Y,{});let h=n;return U(`section`,{class:`detail`,children:[U(`h1`,{children:h.name||(h.profile?`${h.profile.firstName} ${h.profile.lastName}`:h.email||h.phone||`(no name)`)}),U(`dl`,{class:`facts`,children:[U(`dt`,{children:`Id`}),U(`dd`,{children:h.id}),U(`dt`,{children:`Email`}),U(`dd`,{children:h.email??`—`}),U(`dt`,{children:`Phone`}),U(`dd`,{children:[h.phone??`—`,h.pendingPhone?` (unproven: ${h.pendingPhone})`:``]}),U(`dt`,{children:`Role`}),U(`dd`,{children:h.role}),U(`dt`,{children:`State`}),U(`dd`,{children:h.state}),U(`dt`,{children:`Level`}),U(`dd`,{children:h.level}),U(`dt`,{children:`Country`}),U(`dd`,{children:h.countryCode||`—`}),U(`dt`,{children:`Sign-in`}),U(`dd`,{children:[h.hasPin&&`PIN`,h.hasPassword&&`password`,h.totpEnabled&&`authenticator app`].filter(Boolean).join(`, `)||`—`}),U(`dt`,{children:`Created`}),U(`dd`,{children:J(h.createdAt)}),U(`dt`,{children:`Last sign-in`}),U(`dd`,{children:J(h.lastSignInAt)}),h.kycStatus&&U(b,{children:[U(`dt`,{children:`KYC`}),U(`dd`,{children:[h.kycStatus,h.kycRejectionReason?` — ${h.kycRejectionReason}`:``]})]})]}),U(W,{error:u}),U(tn,{u:h,reload:m}),h.profile!==void 0&&U(b,{children:[U(`h2`,{children:`Profile`}),h.profile?U(`dl`,{class:`facts`,children:[U(`dt`,{children:`Name`}),U(`dd`,{children:[h.profile.firstName,` `,h.profile.lastName]}),U(`dt`,{children:`Born`}),U(`dd`,{children:h.profile.dateOfBirth}),U(`dt`,{children:`Address`}),U(`dd`,{children:[h.profile.address,`, `,h.profile.postcode,` `,h.profile.city,`, `,h.profile.country]}),U(`dt`,{children:`Confirmed`}),U(`dd`,{children:h.profile.confirmed?`yes`:`no`})]}):U(`p`,{class:`muted`,children:`No profile.`})]}),(h.documents!==void 0||h.selfie!==void 0)&&U(b,{children:[U(`h2`,{children:`KYC files`}),U(`div`,{class:`files`,children:[(h.documents??[]).map(e=>U(`figure`,{children:[U(`figcaption`,{children:[e.type,` `,e.number,` (expires `,e.expiresOn,`)`]}),U(Q,{file:e.front,alt:`${e.type} front`}),e.back&&U(Q,{file:e.back,alt:`${e.type} back`})]},e.id)),h.selfie!==void 0&&U(`figure`,{children:[U(`figcaption`,{children:`Selfie`}),U(Q,{file:h.selfie?.image,alt:`Selfie`})]})]})]}),h.labels!==void 0&&U(nn,{u:h,reload:m}),h.phones!==void 0&&U(b,{children:[U(`h2`,{children:`Phones`}),U(`table`,{children:[U(`thead`,{children:U(`tr`,{children:[U(`th`,{scope:`col`,children:`Number`}),U(`th`,{scope:`col`,children:`Verified`}),U(`th`,{scope:`col`,children:`Added`})]})}),U(`tbody`,{children:h.phones.map(e=>U(`tr`,{children:[U(`td`,{children:e.number}),U(`td`,{children:e.verified?J(e.verifiedAt):`no`}),U(`td`,{children:J(e.createdAt)})]},e.id))})]})]}),h.devices!==void 0&&U(b,{children:[U(`h2`,{children:`Devices`}),U(`table`,{children:[U(`thead`,{children:U(`tr`,{children:[U(`th`,{scope:`col`,children:`Name`}),U(`th`,{scope:`col`,children:`Device id`}),U(`th`,{scope:`col`,children:`Trusted`}),U(`th`,{scope:`col`,children:`First seen`}),U(`th`,{scope:`col`,children:`Last seen`})]})}),U(`tbody`,{children:h.devices.map(e=>U(`tr`,{children:[U(`td`,{children:e.name}),U(`td`,{children:e.deviceId}),U(`td`,{children:e.trusted?`yes`:`no`}),U(`td`,{children:J(e.createdAt)}),U(`td`,{children:J(e.lastSeenAt)})]},e.id))})]})]}),o&&U(b,{children:[U(`h2`,{children:`Sessions`}),U(`table`,{children:[U(`thead`,{children:U(`tr`,{children:[U(`th`,{scope:`col`,children:`Device`}),U(`th`,{scope:`col`,children:`Opened`}),U(`th`,{scope:`col`,children:`Last used`}),U(`th`,{scope:`col`,children:`Ends`}),U(`th`,{scope:`col`,children:`Second factor`})]})}),U(`tbody`,{children:o.sessions.map(e=>U(`tr`,{children:[U(`td`,{children:e.device.name}),U(`td`,{children:J(e.createdAt)}),U(`td`,{children:J(e.lastUsedAt)}),U(`td`,{children:J(e.expiresAt)}),U(`td`,{children:e.mfa?`yes`:`no`})]},e.id))})]})]}),c&&U(b,{children:[U(`h2`,{children:`Activity`}),U(`table`,{children:[U(`thead`,{children:U(`tr`,{children:[U(`th`,{scope:`col`,children:`When`}),U(`th`,{scope:`col`,children:`Topic`}),U(`th`,{scope:`col`,children:`Action`}),U(`th`,{scope:`col`,children:`Result`}),U(`th`,{scope:`col`,children:`IP`})]})}),U(`tbody`,{children:c.recentActivity.map(e=>U(`tr`,{children:[U(`td`,{children:J(e.createdAt)}),U(`td`,{children:e.topic}),U(`td`,{children:e.action}),U(`td`,{children:[e.result,e.reason?` (${e.reason})`:``]}),U(`td`,{children:e.ip})]},e.id))})]})]}),h.accounts!==void 0&&U(b,{children:[U(`h2`,{children:`Accounts and portfolios`}),h.accounts.length===0&&U(`p`,{class:`muted`,children:`No accounts.`}),h.accounts.length>0&&U(`table`,{children:[U(`thead`,{children:U(`tr`,{children:[U(`th`,{scope:`col`,children:`Account`}),U(`th`,{scope:`col`,children:`Email`}),U(`th`,{scope:`col`,children:`Sub-account`}),U(`th`,{scope:`col`,children:`Active`}),U(`th`,{scope:`col`,children:`Opened`}),U(`th`,{scope:`col`,children:`Portfolios`})]})}),U(`tbody`,{children:h.accounts.map(e=>U(`tr`,{children:[U(`td`,{children:U(`code`,{children:e.id})}),U(`td`,{children:e.email||`—`}),U(`td`,{children:e.subAccountId||`—`}),U(`td`,{children:e.active?`yes`:`no`}),U(`td`,{children:J(e.createdAt)}),U(`td`,{children:e.portfolios.length===0?`—`:U(`ul`,{children:e.portfolios.map(e=>U(`li`,{children:[e.name,` — `,e.type,e.publicStrategy?`, public strategy`:``,e.address?` (${e.address})`:``]},e.id))})})]},e.id))})]})]})]})}function tn({u:e,reload:t}){let n=X(),[r,i]=I(`LOCKED`),[a,o]=I(e.role),s=e=>n(e)?void 0:Z;return U(`div`,{class:`staff-actions`,children:[U(`h2`,{children:`Staff actions`}),U(q,{label:`Change state`,disabled:!n(`setUserState`),title:s(`setUserState`),run:async n=>{await H(Je,{input:{userId:e.id,state:r,reason:n}}),t()},children:U(K,{label:`New state`,value:r,onValue:i,options:[`ACTIVE`,`LOCKED`,`BANNED`]})}),U(q,{label:`Change role`,disabled:!n(`setUserRole`),title:s(`setUserRole`),run:async n=>{await H(Ye,{input:{userId:e.id,role:a,reason:n}}),t()},children:U(K,{label:`New role`,value:a,onValue:e=>o(e),options:[`MEMBER`,`SUPPORT`,`COMPLIANCE`,`ACCOUNTANT`,`ADMIN`,`SUPERADMIN`,`PARTNER`]})}),U(q,{label:`Reset second factor`,disabled:!n(`resetUserMfa`)||!e.totpEnabled,title:s(`resetUserMfa`)??(e.totpEnabled?void 0:`No authenticator app to reset`),run:async n=>{await H(Qe,{input:{userId:e.id,reason:n}}),t()}}),U(q,{label:`End all sessions`,danger:!0,disabled:!n(`revokeUserSessions`),title:s(`revokeUserSessions`),run:async n=>{await H($e,{input:{userId:e.id,reason:n}}),t()}})]})}function nn({u:e,reload:t}){let n=X(),[r,i]=I(``),[a,o]=I(``),[s,c]=I(`PRIVATE`);return U(b,{children:[U(`h2`,{children:`Labels`}),U(`table`,{children:[U(`thead`,{children:U(`tr`,{children:[U(`th`,{scope:`col`,children:`Key`}),U(`th`,{scope:`col`,children:`Value`}),U(`th`,{scope:`col`,children:`Scope`}),U(`th`,{scope:`col`,children:`Changed`}),U(`th`,{scope:`col`})]})}),U(`tbody`,{children:e.labels.map(r=>U(`tr`,{children:[U(`td`,{children:r.key}),U(`td`,{children:r.value}),U(`td`,{children:r.scope}),U(`td`,{children:J(r.updatedAt)}),U(`td`,{children:n(`removeUserLabel`)&&U(q,{label:`Remove ${r.key}`,run:async n=>{await H(Ze,{input:{userId:e.id,key:r.key,reason:n}}),t()}})})]},r.key))})]}),n(`setUserLabel`)&&U(q,{label:`Set a label`,run:async n=>{await H(Xe,{input:{userId:e.id,key:r,value:a,scope:s,reason:n}}),i(``),o(``),t()},children:[U(G,{label:`Label key`,value:r,onValue:i,required:!0}),U(G,{label:`Label value`,value:a,onValue:o,required:!0}),U(K,{label:`Label scope`,value:s,onValue:c,options:[`PRIVATE`,`PUBLIC`]})]})]})}function rn(){let[e,t]=I(`PENDING`),[n,r]=I([null]),[i,a]=I(null),[o,s]=I(null),[c,l]=I(0),u=n.length-1;return L(()=>{s(null),H(et,{filter:{status:e},first:10,after:n[u]}).then(e=>a(e.kycSubmissions)).catch(e=>{s(e),a(null)})},[e,n,c]),U(`section`,{children:[U(`h1`,{children:`KYC review`}),U(`div`,{class:`filters`,children:U(K,{label:`Status`,value:e,onValue:e=>{t(e),r([null])},options:[`PENDING`,`APPROVED`,`REJECTED`]})}),U(W,{error:o}),!i&&!o&&U(Y,{}),i&&i.edges.length===0&&U(`p`,{children:`No submissions here.`}),i?.edges.map(({node:e})=>U(an,{s:e,done:()=>l(c+1)},e.id)),i&&U(`nav`,{class:`pager`,"aria-label":`Pages`,children:[U(`button`,{type:`button`,disabled:u===0,onClick:()=>r(n.slice(0,-1)),children:`Previous page`}),U(`button`,{type:`button`,disabled:!i.pageInfo.hasNextPage,onClick:()=>r([...n,i.pageInfo.endCursor??null]),children:`Next page`})]})]})}function an({s:e,done:t}){let n=X(),[r,i]=I(null),[a,o]=I(!1),s=async()=>{o(!0),i(null);try{await H(tt,{input:{id:e.id}}),t()}catch(e){i(e)}finally{o(!1)}},c=e.profile?`${e.profile.firstName} ${e.profile.lastName}`:e.user.name||e.user.email||e.user.phone;return U(`article`,{class:`submission`,"aria-label":`Submission of ${c}`,children:[U(`header`,{children:[U(`h2`,{children:U(`a`,{...Vt(`/users/`+e.user.id),children:c})}),U(`p`,{children:[e.status,` · submitted `,J(e.submittedAt),` · country `,e.country,e.decidedAt?` · decided ${J(e.decidedAt)}`:``,e.reason?` · ${e.reason}`:``]}),e.profile&&U(`p`,{children:[`Born `,e.profile.dateOfBirth,` · `,e.profile.country]}),U(`p`,{children:[e.document.type,` `,e.document.number,`, expires `,e.document.expiresOn]})]}),U(`div`,{class:`side-by-side`,children:[U(`figure`,{children:[U(`figcaption`,{children:`Document (front)`}),U(Q,{file:e.document.front,alt:`Document front`})]}),e.document.back&&U(`figure`,{children:[U(`figcaption`,{children:`Document (back)`}),U(Q,{file:e.document.back,alt:`Document back`})]}),U(`figure`,{children:[U(`figcaption`,{children:`Selfie`}),U(Q,{file:e.selfie.image,alt:`Selfie`})]})]}),e.status===`PENDING`&&U(`div`,{class:`decide`,children:[U(`button`,{type:`button`,onClick:s,disabled:a||!n(`approveKycSubmission`),title:n(`approveKycSubmission`)?void 0:`Your role may not do this`,children:`Approve`}),U(q,{label:`Reject`,danger:!0,disabled:!n(`rejectKycSubmission`),title:n(`rejectKycSubmission`)?void 0:`Your role may not do this`,run:async n=>{await H(nt,{input:{id:e.id,reason:n}}),t()}}),U(W,{error:r})]})]})}function on(){let e=X(),[t,n]=I(null),[r,i]=I(null),[a,o]=I(0),[s,c]=I({level:`2`,key:``,value:``,description:``}),l=e=>t=>c({...s,[e]:t}),u=()=>o(a+1);L(()=>{H(Ct).then(n).catch(i)},[a]);let d=t?.levelJobs.some(e=>e.state===`RUNNING`);return L(()=>{if(!d)return;let e=setTimeout(u,2e3);return()=>clearTimeout(e)},[d,t]),r?U(W,{error:r}):t?U(`section`,{children:[U(`h1`,{children:`Levels`}),U(`table`,{children:[U(`thead`,{children:U(`tr`,{children:[U(`th`,{scope:`col`,children:`Level`}),U(`th`,{scope:`col`,children:`Label key`}),U(`th`,{scope:`col`,children:`Value`}),U(`th`,{scope:`col`,children:`Description`}),U(`th`,{scope:`col`})]})}),U(`tbody`,{children:t.levels.flatMap(t=>t.rules.map(n=>U(`tr`,{children:[U(`td`,{children:t.level}),U(`td`,{children:U(`code`,{children:n.key})}),U(`td`,{children:n.value}),U(`td`,{children:n.description}),U(`td`,{children:e(`removeLevelRule`)&&U(q,{label:`Remove ${n.key} from level ${t.level}`,danger:!0,run:async e=>{await H(Tt,{input:{level:t.level,key:n.key,reason:e}}),u()}})})]},`${t.level}-${n.key}`)))})]}),e(`addLevelRule`)&&U(q,{label:`Add a level rule`,run:async e=>{await H(wt,{input:{level:Number(s.level),key:s.key.trim(),value:s.value.trim(),description:s.description,reason:e}}),u()},children:[U(G,{label:`Level`,type:`number`,value:s.level,onValue:l(`level`),required:!0}),U(G,{label:`Label key`,value:s.key,onValue:l(`key`),required:!0}),U(G,{label:`Label value`,value:s.value,onValue:l(`value`),required:!0}),U(G,{label:`Description`,value:s.description,onValue:l(`description`)})]}),U(`h2`,{children:`Recomputations`}),t.levelJobs.length===0&&U(`p`,{class:`muted`,children:`None yet.`}),t.levelJobs.length>0&&U(`table`,{children:[U(`thead`,{children:U(`tr`,{children:[U(`th`,{scope:`col`,children:`Started`}),U(`th`,{scope:`col`,children:`Change`}),U(`th`,{scope:`col`,children:`Progress`}),U(`th`,{scope:`col`,children:`Levels changed`}),U(`th`,{scope:`col`,children:`Finished`})]})}),U(`tbody`,{children:t.levelJobs.map(e=>U(`tr`,{children:[U(`td`,{children:J(e.createdAt)}),U(`td`,{children:[e.action,` (from level `,e.minLevel,`)`]}),U(`td`,{children:[U(`progress`,{max:Math.max(e.total,1),value:e.done,"aria-label":`Job ${e.id} progress`}),` `,e.done,`/`,e.total,` `,e.state]}),U(`td`,{children:e.changed}),U(`td`,{children:J(e.finishedAt)})]},e.id))})]})]}):U(Y,{})}var sn={"Last 30 days":{days:30,interval:`DAY`},"Last 90 days":{days:90,interval:`DAY`},"Last 48 hours":{days:2,interval:`HOUR`},"Last 7 days, hourly":{days:7,interval:`HOUR`}},cn=[{title:`Sign-ups`,lines:[{key:`signUps`,label:`Accounts created`,color:`#2563eb`}]},{title:`Sign-ins`,lines:[{key:`signInsSucceeded`,label:`Succeeded`,color:`#16a34a`},{key:`signInsFailed`,label:`Refused`,color:`#dc2626`},{key:`activeUsers`,label:`Active users`,color:`#7c3aed`}]},{title:`One-time codes sent`,lines:[{key:`otpsSent`,label:`Codes sent`,color:`#ea580c`}]},{title:`KYC decisions`,lines:[{key:`kycPending`,label:`Submitted`,color:`#ca8a04`},{key:`kycApproved`,label:`Approved`,color:`#16a34a`},{key:`kycRejected`,label:`Rejected`,color:`#dc2626`}]}];function ln(){let[e,t]=I(`Last 30 days`),[n,r]=I(null),[i,a]=I(null);return L(()=>{let t=sn[e],n=new Date,i=new Date(n.getTime()-t.days*864e5);a(null),H(pt,{from:i.toISOString(),to:n.toISOString(),interval:t.interval}).then(e=>r(e.adminMetrics)).catch(e=>{a(e),r(null)})},[e]),U(`section`,{children:[U(`h1`,{children:`Metrics`}),U(`div`,{class:`filters`,children:U(K,{label:`Range`,value:e,onValue:t,options:Object.keys(sn)})}),U(W,{error:i}),!n&&!i&&U(Y,{}),n&&U(`div`,{class:`charts`,children:cn.map(e=>U(hn,{title:e.title,lines:e.lines,series:n.series,totals:n.totals,hourly:n.interval===`HOUR`},e.title))})]})}function un(e){return e%2==0?[0,e/2,e]:[0,e]}var dn=560,fn=180,pn=40,mn=10;function hn(e){let t=Math.max(1,...e.series.flatMap(t=>e.lines.map(e=>t[e.key]))),n=e.series.length,r=e=>pn+(n<=1?0:e*510/(n-1)),i=e=>mn+142*(1-e/t),a=t=>e.hourly?t.slice(5,13).replace(`T`,` `)+`h`:t.slice(0,10),o=e.lines.map(t=>`${t.label}: ${e.totals[t.key]}`).join(`, `);return U(`figure`,{class:`chart`,children:[U(`figcaption`,{children:[U(`strong`,{children:e.title}),U(`span`,{class:`legend`,children:e.lines.map(t=>U(`span`,{children:[U(`i`,{style:{background:t.color}}),` `,t.label,` (`,e.totals[t.key].toLocaleString(`en`),`)`]},t.key))})]}),U(`svg`,{viewBox:`0 0 ${dn} ${fn}`,role:`img`,"aria-label":`${e.title}: ${o}`,children:[U(`title`,{children:`${e.title}: ${o}`}),un(t).map(e=>U(`g`,{children:[U(`line`,{x1:pn,x2:550,y1:i(e),y2:i(e),class:`grid`}),U(`text`,{x:36,y:i(e)+4,"text-anchor":`end`,class:`axis`,children:e.toLocaleString(`en`)})]},e)),n>0&&U(b,{children:[U(`text`,{x:pn,y:172,class:`axis`,children:a(e.series[0].start)}),U(`text`,{x:550,y:172,"text-anchor":`end`,class:`axis`,children:a(e.series[n-1].start)})]}),e.lines.map(t=>U(`polyline`,{fill:`none`,stroke:t.color,"stroke-width":`2`,points:e.series.map((e,n)=>`${r(n).toFixed(1)},${i(e[t.key]).toFixed(1)}`).join(` `)},t.key))]})]})}var gn=[`ANONYMOUS`,`MEMBER`,`SUPPORT`,`COMPLIANCE`,`ACCOUNTANT`,`ADMIN`,`SUPERADMIN`,`PARTNER`],_n=[`ALLOW`,`DENY`,`AUDIT`];function vn(){let e=X(),[t,n]=I(null),[r,i]=I(null),[a,o]=I(``),[s,c]=I(``),[l,u]=I(0),d=()=>u(l+1);L(()=>{H(ct).then(e=>n(e.permissions)).catch(i)},[l]);let f=(t??[]).filter(e=>(!a||e.role===a)&&e.operation.toLowerCase().includes(s.toLowerCase()));return U(`section`,{children:[U(`h1`,{children:`Permissions`}),U(`p`,{class:`muted`,children:`A role may call an operation when one of its rows allows it; DENY wins over AUDIT, AUDIT over ALLOW.`}),U(`div`,{class:`filters`,children:[U(K,{label:`Role`,value:a,onValue:o,options:gn,blank:`Every role`}),U(G,{label:`Operation contains`,value:s,onValue:c})]}),e(`createPermission`)&&U(bn,{done:d}),U(W,{error:r}),!t&&!r&&U(Y,{}),t&&U(`table`,{children:[U(`thead`,{children:U(`tr`,{children:[U(`th`,{scope:`col`,children:`Role`}),U(`th`,{scope:`col`,children:`Operation`}),U(`th`,{scope:`col`,children:`Action`}),U(`th`,{scope:`col`,children:`Changed`}),U(`th`,{scope:`col`,children:`Change`})]})}),U(`tbody`,{children:f.map(e=>U(yn,{r:e,done:d},e.id))})]})]})}function yn({r:e,done:t}){let n=X(),[r,i]=I(e.action);return U(`tr`,{"data-rule":`${e.role} ${e.operation}`,children:[U(`td`,{children:e.role}),U(`td`,{children:U(`code`,{children:e.operation})}),U(`td`,{children:e.action}),U(`td`,{children:J(e.updatedAt)}),U(`td`,{class:`row-actions`,children:[n(`updatePermission`)&&U(q,{label:`Edit ${e.role} ${e.operation}`,run:async n=>{await H(ut,{input:{id:e.id,action:r,reason:n}}),t()},children:U(K,{label:`New action`,value:r,onValue:i,options:_n})}),n(`deletePermission`)&&U(q,{label:`Delete ${e.role} ${e.operation}`,danger:!0,run:async n=>{await H(dt,{input:{id:e.id,reason:n}}),t()}})]})]})}function bn({done:e}){let t=Te(Zt),[n,r]=I(`SUPPORT`),[i,a]=I(``),[o,s]=I(`ALLOW`);return U(`div`,{class:`new-rule`,children:U(q,{label:`Add a rule`,run:async t=>{await H(lt,{input:{role:n,operation:i.trim(),action:o,reason:t}}),a(``),e()},children:[U(K,{label:`Rule role`,value:n,onValue:r,options:gn}),U(G,{label:`Rule operation (a field, Type.field, or a prefix ending in *)`,value:i,onValue:a,required:!0,placeholder:[...t][0]}),U(K,{label:`Rule action`,value:o,onValue:s,options:_n})]})})}var xn=[`PENDING_REVIEW`,`DOCUMENT_REQUIRED`,`SELFIE_REQUIRED`,`APPROVED`,`REJECTED`,`COMPLETED`];function Sn(){let[e,t]=I(`PENDING_REVIEW`),[n,r]=I([null]),[i,a]=I(null),[o,s]=I(null),[c,l]=I(0),u=n.length-1;return L(()=>{s(null),H(rt,{status:e,first:10,after:n[u]}).then(e=>a(e.pinResets)).catch(e=>{s(e),a(null)})},[e,n,c]),U(`section`,{children:[U(`h1`,{children:`PIN resets`}),U(`div`,{class:`filters`,children:U(K,{label:`Status`,value:e,onValue:e=>{t(e),r([null])},options:xn})}),U(W,{error:o}),!i&&!o&&U(Y,{}),i&&i.edges.length===0&&U(`p`,{children:`No PIN resets here.`}),i?.edges.map(({node:e})=>U(Cn,{r:e,done:()=>l(c+1)},e.id)),i&&U(`nav`,{class:`pager`,"aria-label":`Pages`,children:[U(`button`,{type:`button`,disabled:u===0,onClick:()=>r(n.slice(0,-1)),children:`Previous page`}),U(`button`,{type:`button`,disabled:!i.pageInfo.hasNextPage,onClick:()=>r([...n,i.pageInfo.endCursor??null]),children:`Next page`})]})]})}function Cn({r:e,done:t}){let n=X(),[r,i]=I(null),a=async()=>{i(null);try{await H(it,{input:{id:e.id}}),t()}catch(e){i(e)}};return U(`article`,{class:`submission`,"aria-label":`PIN reset of ${e.user.name||e.user.phone}`,children:[U(`header`,{children:[U(`h2`,{children:U(`a`,{...Vt(`/users/`+e.user.id),children:e.user.name||e.user.phone})}),U(`p`,{children:[e.status,` · asked `,J(e.createdAt),e.decidedAt?` · decided ${J(e.decidedAt)}`:``,e.reason?` · ${e.reason}`:``]}),e.documentUploaded&&U(`p`,{class:`warn`,children:`The document was uploaded during this reset, not approved in KYC: compare it with the user's profile.`})]}),U(`div`,{class:`side-by-side`,children:[U(`figure`,{children:[U(`figcaption`,{children:[`Document`,e.document?` (${e.document.type} ${e.document.number})`:``]}),U(Q,{file:e.document?.front,alt:`Document`})]}),U(`figure`,{children:[U(`figcaption`,{children:`Selfie`}),U(Q,{file:e.selfie,alt:`Selfie`})]})]}),e.status===`PENDING_REVIEW`&&U(`div`,{class:`decide`,children:[U(`button`,{type:`button`,onClick:a,disabled:!n(`approvePinReset`),title:n(`approvePinReset`)?void 0:`Your role may not do this`,children:`Approve`}),U(q,{label:`Reject`,danger:!0,disabled:!n(`rejectPinReset`),title:n(`rejectPinReset`)?void 0:`Your role may not do this`,run:async n=>{await H(at,{input:{id:e.id,reason:n}}),t()}}),U(W,{error:r})]})]})}function wn(){let[e,t]=I(null),[n,r]=I(null),[i,a]=I(0),o=()=>a(i+1);if(L(()=>{H(mt).then(t).catch(r)},[i]),n)return U(W,{error:n});if(!e)return U(Y,{});let s=e.operatorSettings;return U(`section`,{class:`settings`,children:[U(`h1`,{children:`Settings`}),U(`p`,{class:`muted`,children:[`Last changed `,J(s.updatedAt),`. Clients read these through appConfig.`]}),U(Tn,{s,done:o}),U(En,{s,done:o}),U(Dn,{s,done:o}),U(On,{s,done:o}),U(kn,{s,done:o}),U(An,{s,done:o}),U(jn,{kinds:e.termsKinds,done:o})]})}function Tn({s:e,done:t}){let n=X(),[r,i]=I(e.maintenance.message??``),a=e.maintenance.enabled;return U(b,{children:[U(`h2`,{children:`Maintenance`}),U(`p`,{children:a?`On: “${e.maintenance.message??``}”. Clients are refused with MAINTENANCE; signed-in staff pass.`:`Off.`}),U(q,{label:a?`End maintenance`:`Start maintenance`,danger:!a,disabled:!n(`setMaintenance`),title:n(`setMaintenance`)?void 0:Z,run:async e=>{await H(ht,{input:{enabled:!a,message:r,reason:e}}),t()},children:!a&&U(G,{label:`Message to users`,value:r,onValue:i})})]})}function En({s:e,done:t}){let n=X(),[r,i]=I({platform:`ANDROID`,minimumVersion:``,currentVersion:``,storeUrl:``,storeAppId:``}),a=e=>t=>i({...r,[e]:t});return U(b,{children:[U(`h2`,{children:`App versions`}),U(`table`,{children:[U(`thead`,{children:U(`tr`,{children:[U(`th`,{scope:`col`,children:`Platform`}),U(`th`,{scope:`col`,children:`Minimum`}),U(`th`,{scope:`col`,children:`Current`}),U(`th`,{scope:`col`,children:`Store URL`}),U(`th`,{scope:`col`,children:`Store app id`})]})}),U(`tbody`,{children:e.appVersions.map(e=>U(`tr`,{children:[U(`td`,{children:e.platform}),U(`td`,{children:e.minimumVersion}),U(`td`,{children:e.currentVersion}),U(`td`,{children:e.storeUrl||`—`}),U(`td`,{children:e.storeAppId||`—`})]},e.platform))})]}),n(`setAppVersion`)&&U(q,{label:`Set an app version`,run:async e=>{await H(gt,{input:{...r,platform:r.platform,reason:e}}),t()},children:[U(K,{label:`Platform`,value:r.platform,onValue:t=>{let n=e.appVersions.find(e=>e.platform===t);i(n?{...n}:{platform:t,minimumVersion:``,currentVersion:``,storeUrl:``,storeAppId:``})},options:[`ANDROID`,`IOS`,`WEB`]}),U(G,{label:`Minimum version`,value:r.minimumVersion,onValue:a(`minimumVersion`),required:!0}),U(G,{label:`Current version`,value:r.currentVersion,onValue:a(`currentVersion`),required:!0}),U(G,{label:`Store URL`,value:r.storeUrl,onValue:a(`storeUrl`)}),U(G,{label:`Store app id`,value:r.storeAppId,onValue:a(`storeAppId`)})]})]})}function Dn({s:e,done:t}){let n=X(),[r,i]=I(``),[a,o]=I(``),[s,c]=I(!0);return U(b,{children:[U(`h2`,{children:`Feature flags`}),U(`table`,{children:[U(`thead`,{children:U(`tr`,{children:[U(`th`,{scope:`col`,children:`Flag`}),U(`th`,{scope:`col`,children:`On`}),U(`th`,{scope:`col`,children:`Description`}),U(`th`,{scope:`col`,children:`Change`})]})}),U(`tbody`,{children:e.featureFlags.map(e=>U(`tr`,{"data-flag":e.key,children:[U(`td`,{children:U(`code`,{children:e.key})}),U(`td`,{children:e.enabled?`on`:`off`}),U(`td`,{children:e.description}),U(`td`,{class:`row-actions`,children:[n(`setFeatureFlag`)&&U(q,{label:`Turn ${e.key} ${e.enabled?`off`:`on`}`,run:async n=>{await H(_t,{input:{key:e.key,enabled:!e.enabled,description:e.description,reason:n}}),t()}}),n(`removeFeatureFlag`)&&U(q,{label:`Remove ${e.key}`,danger:!0,run:async n=>{await H(vt,{input:{key:e.key,reason:n}}),t()}})]})]},e.key))})]}),n(`setFeatureFlag`)&&U(q,{label:`Add a flag`,run:async e=>{await H(_t,{input:{key:r.trim(),enabled:s,description:a,reason:e}}),i(``),o(``),t()},children:[U(G,{label:`Flag key`,value:r,onValue:i,required:!0}),U(G,{label:`Flag description`,value:a,onValue:o}),U(Jt,{label:`Flag on`,checked:s,onChecked:c})]})]})}function On({s:e,done:t}){let n=X(),[r,i]=I(String(e.rules.idleTimeSeconds)),[a,o]=I(e.rules.otpLifetimeSeconds==null?``:String(e.rules.otpLifetimeSeconds));return U(b,{children:[U(`h2`,{children:`Client rules`}),U(`p`,{children:[`Idle time `,e.rules.idleTimeSeconds,` s · code lifetime told to clients`,` `,e.rules.otpLifetimeSeconds==null?`the server's (${e.rules.serverOtpLifetimeSeconds} s)`:`${e.rules.otpLifetimeSeconds} s`]}),U(q,{label:`Change client rules`,disabled:!n(`setClientRules`),title:n(`setClientRules`)?void 0:Z,run:async e=>{await H(yt,{input:{idleTimeSeconds:Number(r),otpLifetimeSeconds:a===``?null:Number(a),reason:e}}),t()},children:[U(G,{label:`Idle time (seconds)`,type:`number`,value:r,onValue:i,required:!0}),U(G,{label:`Code lifetime told to clients (seconds; empty: the server's)`,type:`number`,value:a,onValue:o})]})]})}function kn({s:e,done:t}){let n=X(),[r,i]=I(JSON.stringify(e.appContents,null,2)),[a,o]=I(null);return U(b,{children:[U(`h2`,{children:`App contents`}),U(`p`,{class:`muted`,children:`The clients' menu and home layout: a JSON object.`}),U(q,{label:`Change app contents`,disabled:!n(`setAppContents`),title:n(`setAppContents`)?void 0:Z,run:async e=>{let n;try{n=JSON.parse(r)}catch(e){throw o(Error(`Not JSON: `+e.message)),Error(`Not JSON: fix the contents first.`)}o(null),await H(bt,{input:{contents:n,reason:e}}),t()},children:[U(qt,{label:`Contents (JSON object)`,value:r,onValue:i,rows:10}),U(W,{error:a})]}),U(`pre`,{class:`json`,children:JSON.stringify(e.appContents,null,2)})]})}function An({s:e,done:t}){let n=X(),[r,i]=I(e.pushChannels.join(`, `));return U(b,{children:[U(`h2`,{children:`Push channels`}),U(`p`,{children:e.pushChannels.length>0?e.pushChannels.join(`, `):`None.`}),U(q,{label:`Change push channels`,disabled:!n(`setPushChannels`),title:n(`setPushChannels`)?void 0:Z,run:async e=>{await H(xt,{input:{channels:r.split(`,`).map(e=>e.trim()).filter(Boolean),reason:e}}),t()},children:U(G,{label:`Channels (comma-separated)`,value:r,onValue:i})})]})}function jn({kinds:e,done:t}){let n=X(),[r,i]=I({kind:`GENERAL`,version:``,title:``,url:``,body:``}),[a,o]=I(!0),s=e=>t=>i({...r,[e]:t});return U(b,{children:[U(`h2`,{children:`Terms`}),U(`table`,{children:[U(`thead`,{children:U(`tr`,{children:[U(`th`,{scope:`col`,children:`Kind`}),U(`th`,{scope:`col`,children:`Users asked`}),U(`th`,{scope:`col`,children:`Current version`}),U(`th`,{scope:`col`,children:`Title`}),U(`th`,{scope:`col`,children:`Published`})]})}),U(`tbody`,{children:e.map(e=>U(`tr`,{children:[U(`td`,{children:U(`code`,{children:e.kind})}),U(`td`,{children:e.askUsers?`yes`:`no`}),U(`td`,{children:e.current?.version??`—`}),U(`td`,{children:e.current?e.current.url?U(`a`,{href:e.current.url,rel:`noopener`,target:`_blank`,children:e.current.title}):e.current.title:`—`}),U(`td`,{children:J(e.current?.publishedAt)})]},e.kind))})]}),n(`publishTerms`)&&U(q,{label:`Publish terms`,run:async e=>{await H(St,{input:{...r,kind:r.kind.trim().toUpperCase(),askUsers:a,reason:e}}),t()},children:[U(G,{label:`Kind (e.g. GENERAL, PRIVACY, or a new one)`,value:r.kind,onValue:s(`kind`),required:!0}),U(G,{label:`Version`,value:r.version,onValue:s(`version`),required:!0}),U(G,{label:`Title`,value:r.title,onValue:s(`title`),required:!0}),U(G,{label:`Link to the full text`,value:r.url,onValue:s(`url`)}),U(qt,{label:`Text`,value:r.body,onValue:s(`body`),required:!0}),U(Jt,{label:`Ask users to accept it`,checked:a,onChecked:o})]})]})}function Mn({onSignedIn:e}){let[t,n]=I({kind:`password`}),[r,i]=I(``),[a,o]=I(``),[s,c]=I(``),[l,u]=I(!1),[d,f]=I(null),p=t=>{Mt(t),e(t)};return U(`main`,{class:`signin`,children:[U(`h1`,{children:`Gatehouse staff console`}),U(`form`,{onSubmit:async e=>{e.preventDefault(),u(!0),f(null);try{if(t.kind===`code`){let e={challengeId:t.challengeId,code:s.trim()};p(t.via===`pin`?(await H(Be,{input:e})).verifyDeviceSignIn:(await H(ze,{input:e})).verifySignIn);return}let e={deviceId:At(),deviceName:`Staff console`},i=t.kind===`pin`?(await H(Re,{input:{phone:r.trim(),pin:a,...e}})).signInWithPin:(await H(Le,{input:{username:r.trim(),password:a,...e}})).signIn;if(i.status===`SIGNED_IN`&&i.auth)return p(i.auth);if(i.challenge){let e=i.challenge.channel===`TOTP`?`Enter the code your authenticator app shows.`:`Enter the code sent by ${i.challenge.channel.toLowerCase()} to ${i.challenge.destination}.`;o(``),c(``),n({kind:`code`,challengeId:i.challenge.id,via:t.kind,hint:e});return}f(Error(`This account cannot sign in here (it has no PIN yet): set one up in the app first.`))}catch(e){f(e)}finally{u(!1)}},"aria-label":`Sign in`,children:[t.kind===`code`?U(b,{children:[U(`p`,{children:t.hint}),U(G,{label:`Code`,name:`code`,value:s,onValue:c,autoComplete:`one-time-code`,inputMode:`numeric`,required:!0})]}):U(b,{children:[U(`div`,{class:`tabs`,role:`group`,"aria-label":`Sign in with`,children:[U(`button`,{type:`button`,"aria-pressed":t.kind===`password`,onClick:()=>n({kind:`password`}),children:`Password`}),U(`button`,{type:`button`,"aria-pressed":t.kind===`pin`,onClick:()=>n({kind:`pin`}),children:`Phone and PIN`})]}),U(G,{label:t.kind===`pin`?`Phone`:`Email or phone`,name:`username`,value:r,onValue:i,autoComplete:`username`,required:!0}),U(G,{label:t.kind===`pin`?`PIN`:`Password`,name:`secret`,type:`password`,value:a,onValue:o,autoComplete:`current-password`,inputMode:t.kind===`pin`?`numeric`:void 0,required:!0})]}),U(`button`,{type:`submit`,disabled:l,children:t.kind===`code`?`Verify`:`Sign in`}),t.kind===`code`&&U(`button`,{type:`button`,onClick:()=>n({kind:t.via}),children:`Start again`}),U(W,{error:d})]})]})}var Nn=[`MEMBER`,`SUPPORT`,`COMPLIANCE`,`ACCOUNTANT`,`ADMIN`,`SUPERADMIN`,`PARTNER`],Pn=[`PENDING`,`ACTIVE`,`LOCKED`,`BANNED`,`DELETED`],Fn=[`NONE`,`PENDING`,`APPROVED`,`REJECTED`],In=25,$={id:``,email:``,phone:``,name:``,role:``,state:``,levelMin:``,levelMax:``,country:``,kycStatus:``,labelKey:``,labelValue:``,createdFrom:``,createdTo:``,documentsPending:``,order:`CREATED_AT`,direction:`DESC`};function Ln(e){let t={};return e.id.trim()&&(t.id=e.id.trim()),e.email.trim()&&(t.email=e.email.trim()),e.phone.trim()&&(t.phone=e.phone.trim()),e.name.trim()&&(t.name=e.name.trim()),e.role&&(t.role=e.role),e.state&&(t.state=e.state),e.levelMin!==``&&(t.levelMin=Number(e.levelMin)),e.levelMax!==``&&(t.levelMax=Number(e.levelMax)),e.country.trim()&&(t.country=e.country.trim().toUpperCase()),e.kycStatus&&(t.kycStatus=e.kycStatus),e.labelKey.trim()&&(t.label={key:e.labelKey.trim(),value:e.labelValue.trim()||null}),e.createdFrom&&(t.createdFrom=new Date(e.createdFrom+`T00:00:00Z`).toISOString()),e.createdTo&&(t.createdTo=new Date(e.createdTo+`T00:00:00Z`).toISOString()),e.documentsPending&&(t.documentsPending=e.documentsPending===`yes`),t}function Rn(){let e=new URLSearchParams(location.search),t={...$};for(let n of Object.keys($)){let r=e.get(n);r!==null&&(t[n]=r)}return t}function zn(e){let t=new URLSearchParams;for(let n of Object.keys($))e[n]!==$[n]&&t.set(n,e[n]);let n=t.toString();history.replaceState(null,``,location.pathname+(n?`?`+n:``))}function Bn(){let[e,t]=I(Rn),[n,r]=I(Rn),[i,a]=I([null]),[o,s]=I(null),[c,l]=I(null),[u,d]=I(!1),f=n=>r=>t({...e,[n]:r}),p=i.length-1,m=X();return L(()=>{let e=!0;return d(!0),l(null),H(We,{filter:Ln(n),orderBy:{field:n.order,direction:n.direction},first:In,after:i[p],kyc:m(`User.kycStatus`)}).then(t=>e&&s(t.users)).catch(t=>e&&(l(t),s(null))).finally(()=>e&&d(!1)),()=>{e=!1}},[n,i]),U(`section`,{children:[U(`h1`,{children:`Users`}),U(`form`,{class:`filters`,onSubmit:t=>{t.preventDefault(),zn(e),r(e),a([null])},"aria-label":`Filter users`,children:[U(G,{label:`Name`,value:e.name,onValue:f(`name`)}),U(G,{label:`Email starts with`,value:e.email,onValue:f(`email`)}),U(G,{label:`Phone starts with`,value:e.phone,onValue:f(`phone`)}),U(G,{label:`User id`,value:e.id,onValue:f(`id`)}),U(K,{label:`Role`,value:e.role,onValue:f(`role`),options:Nn,blank:`Any`}),U(K,{label:`State`,value:e.state,onValue:f(`state`),options:Pn,blank:`Any`}),U(K,{label:`KYC status`,value:e.kycStatus,onValue:f(`kycStatus`),options:Fn,blank:`Any`}),U(K,{label:`Documents pending`,value:e.documentsPending,onValue:f(`documentsPending`),options:[`yes`,`no`],blank:`Either`}),U(G,{label:`Level at least`,type:`number`,value:e.levelMin,onValue:f(`levelMin`)}),U(G,{label:`Level at most`,type:`number`,value:e.levelMax,onValue:f(`levelMax`)}),U(G,{label:`Country (ISO code)`,value:e.country,onValue:f(`country`)}),U(G,{label:`Label key`,value:e.labelKey,onValue:f(`labelKey`)}),U(G,{label:`Label value`,value:e.labelValue,onValue:f(`labelValue`)}),U(G,{label:`Created from`,type:`date`,value:e.createdFrom,onValue:f(`createdFrom`)}),U(G,{label:`Created before`,type:`date`,value:e.createdTo,onValue:f(`createdTo`)}),U(K,{label:`Order by`,value:e.order,onValue:f(`order`),options:[`CREATED_AT`,`LAST_SIGN_IN`,`NAME`]}),U(K,{label:`Direction`,value:e.direction,onValue:f(`direction`),options:[`DESC`,`ASC`]}),U(`div`,{class:`actions`,children:[U(`button`,{type:`submit`,children:`Search`}),U(`button`,{type:`button`,onClick:()=>{zn($),t($),r($),a([null])},children:`Clear`})]})]}),U(W,{error:c}),u&&!o&&U(Y,{}),o&&U(b,{children:[U(`p`,{class:`count`,children:[o.totalCount.toLocaleString(`en`),o.totalCountExact?``:`+`,` users match · page `,p+1]}),U(`table`,{children:[U(`thead`,{children:U(`tr`,{children:[U(`th`,{scope:`col`,children:`Name`}),U(`th`,{scope:`col`,children:`Email`}),U(`th`,{scope:`col`,children:`Phone`}),U(`th`,{scope:`col`,children:`Role`}),U(`th`,{scope:`col`,children:`State`}),U(`th`,{scope:`col`,children:`Level`}),U(`th`,{scope:`col`,children:`KYC`}),U(`th`,{scope:`col`,children:`Country`}),U(`th`,{scope:`col`,children:`Created`}),U(`th`,{scope:`col`,children:`Last sign-in`})]})}),U(`tbody`,{children:o.edges.map(({node:e})=>U(`tr`,{children:[U(`td`,{children:U(`a`,{...Vt(`/users/`+e.id),children:e.name||e.email||e.phone||`(no name)`})}),U(`td`,{children:e.email??`—`}),U(`td`,{children:e.phone??`—`}),U(`td`,{children:e.role}),U(`td`,{children:e.state}),U(`td`,{children:e.level}),U(`td`,{children:e.kycStatus??`—`}),U(`td`,{children:e.countryCode||`—`}),U(`td`,{children:J(e.createdAt)}),U(`td`,{children:J(e.lastSignInAt)})]},e.id))})]}),U(`nav`,{class:`pager`,"aria-label":`Pages`,children:[U(`button`,{type:`button`,disabled:p===0||u,onClick:()=>a(i.slice(0,-1)),children:`Previous page`}),U(`button`,{type:`button`,disabled:!o.pageInfo.hasNextPage||u,onClick:()=>a([...i,o.pageInfo.endCursor??null]),children:`Next page`})]})]})]})}var Vn=[{path:`/users`,title:`Users`,op:`users`},{path:`/kyc`,title:`KYC review`,op:`kycSubmissions`},{path:`/pin-resets`,title:`PIN resets`,op:`pinResets`},{path:`/dead-letters`,title:`Dead letters`,op:`failedDeliveries`},{path:`/permissions`,title:`Permissions`,op:`permissions`},{path:`/admin-activities`,title:`Admin activities`,op:`adminActivities`},{path:`/metrics`,title:`Metrics`,op:`adminMetrics`},{path:`/settings`,title:`Settings`,op:`operatorSettings`},{path:`/levels`,title:`Levels`,op:`levelJobs`}];function Hn(){let[e,t]=I(null),[n,r]=I(new Set),[i,a]=I(!1),[o,s]=I(Pt()),[c,l]=I(null),u=Bt(),d=async()=>{try{let e=await H(Ue);t(e.me??null),r(new Set(e.myPermissions))}catch(e){l(e)}finally{a(!0)}};if(L(()=>{jt(()=>{t(null),r(new Set),a(!1)}),Pt()&&Lt().then(e=>e?d():void 0).finally(()=>s(!1))},[]),o)return U(Y,{});if(!e)return U(b,{children:[U(Mn,{onSignedIn:e=>{l(null),a(!1),t(e.user),d()}}),U(W,{error:c})]});let f=Vn.filter(e=>n.has(e.op)),p=async()=>{try{await H(He)}catch{}Nt(),t(null),r(new Set),a(!1)},m,h=u.path.match(/^\/users\/([^/]+)$/);if(!i)m=U(Y,{});else if(h&&n.has(`user`))m=U(en,{id:decodeURIComponent(h[1])});else{let t=f.find(e=>e.path===u.path);t?m={"/users":U(Bn,{}),"/kyc":U(rn,{}),"/pin-resets":U(Sn,{}),"/dead-letters":U(Qt,{}),"/permissions":U(vn,{}),"/admin-activities":U(Xt,{}),"/metrics":U(ln,{}),"/settings":U(wn,{}),"/levels":U(on,{})}[t.path]:f.length>0&&u.path===`/`?(queueMicrotask(()=>zt(f[0].path)),m=U(Y,{})):m=f.length===0?U(`p`,{children:[`Your role (`,e.role,`) has no console pages.`]}):U(`p`,{children:`Not a page, or not one your role may open.`})}return U(Zt.Provider,{value:n,children:[U(`a`,{class:`skip`,href:`#main`,children:`Skip to content`}),U(`header`,{class:`top`,children:[U(`strong`,{children:`Gatehouse`}),U(`nav`,{"aria-label":`Pages`,children:f.map(e=>U(`a`,{...Vt(e.path),"aria-current":u.path.startsWith(e.path)?`page`:void 0,children:e.title},e.path))}),U(`span`,{class:`me`,children:[e.name||e.email||e.phone,` · `,e.role]}),U(`button`,{type:`button`,onClick:p,children:`Sign out`})]}),U(`main`,{id:`main`,tabIndex:-1,children:[U(W,{error:c}),m]})]})}M(U(Hn,{}),document.getElementById(`app`));